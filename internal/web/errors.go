package web

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"jikji/internal/news"
)

// statusOf maps domain error codes to HTTP statuses, in one table.
var statusOf = map[string]int{
	news.ENOTFOUND:      http.StatusNotFound,
	news.EINVALID:       http.StatusBadRequest,
	news.ECONFLICT:      http.StatusConflict,
	news.EUNAUTHORIZED:  http.StatusUnauthorized,
	news.EFORBIDDEN:     http.StatusForbidden,
	news.ERATELIMITED:   http.StatusTooManyRequests,
	news.ETOOLARGE:      http.StatusRequestEntityTooLarge,
	news.EPRECONDITION:  http.StatusPreconditionFailed,
	news.EREACTIONEXIST: http.StatusConflict,
	news.ECOMMENTEMPTY:  http.StatusBadRequest,
	news.ECOMMENTLONG:   http.StatusBadRequest,
	news.EEMAILTAKEN:    http.StatusConflict,
	news.EBADLOGIN:      http.StatusUnauthorized,
	news.EWEAKPASSWORD:  http.StatusBadRequest,
	news.ECLOSED:        http.StatusForbidden,
	news.ESUSPENDED:     http.StatusForbidden,
	news.EBUSY:          http.StatusServiceUnavailable,
	news.EINTERNAL:      http.StatusInternalServerError,
}

func httpStatus(err error) int {
	if st, ok := statusOf[news.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// apiError is the JSON body of every API error.
type apiError struct {
	Error string `json:"error"`
	Code  string `json:"code"`
	Title string `json:"title,omitempty"`
}

// handlerFunc is the shape of every handler: errors are returned, and one
// adapter renders them and logs the unexpected ones once.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// api adapts an API handler: errors become {"error","code"} JSON.
func (s *Server) api(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var err error
		if answered, refusal := redirectCanonicalID(w, r); !answered {
			err = h(w, r)
		} else {
			err = refusal
		}
		if err != nil {
			st := s.logError(r, err)
			setRetryAfter(w, err)
			writeJSON(w, st, apiError{Error: news.ErrorMessage(err), Code: news.ErrorCode(err), Title: news.ErrorTitle(err)})
		}
	})
}

// page adapts an HTML handler: errors become a Korean error page.
func (s *Server) page(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var err error
		if answered, refusal := redirectCanonicalID(w, r); !answered {
			err = h(w, r)
		} else {
			err = refusal
		}
		if err != nil {
			st := s.logError(r, err)
			setRetryAfter(w, err)
			s.renderError(w, r, st, news.ErrorMessage(err))
		}
	})
}

// logError logs errors that are not the client's doing and returns the status.
func (s *Server) logError(r *http.Request, err error) int {
	st := httpStatus(err)
	if st >= 500 {
		s.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	return st
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		slog.Error("encode json", "err", err)
		status = http.StatusInternalServerError
		body = []byte(`{"error":"일시적인 오류가 발생했습니다.","code":"internal"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}

// errNotFound is the error of unknown pages and malformed IDs.
var errNotFound = news.Errorf(news.ENOTFOUND, "요청하신 페이지를 찾을 수 없습니다.")
