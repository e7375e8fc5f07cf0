package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"unicode/utf8"

	"jikji/internal/news"
)

// The one JSON decoder of every API request, and the lists of answers.

// JSON request body limits: readers send small objects; the newsroom sends
// whole articles.
const (
	maxJSONBody     = 64 << 10
	maxDeskJSONBody = 1 << 20
)

// decodeJSON reads a reader's JSON object body into v; see decodeJSONLimit.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	return decodeJSONLimit(w, r, v, maxJSONBody)
}

// decodeJSONLimit reads one JSON value of at most limit bytes into v: the
// one decoder of every API request. Returns EINVALID for a body that is
// not JSON of the right shape, has anything after the value, holds invalid
// UTF-8 or a NUL character, and ETOOLARGE past the limit.
func decodeJSONLimit(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return news.Errorf(news.EINVALID, "요청 본문은 JSON(application/json)이어야 합니다.")
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return news.Errorf(news.ETOOLARGE, "요청 본문이 너무 큽니다.")
	case err != nil:
		return news.Errorf(news.EINVALID, "요청 본문을 읽을 수 없습니다.")
	case len(bytes.TrimSpace(body)) == 0:
		return errEmptyJSON
	case !utf8.Valid(body):
		// encoding/json would quietly turn bad bytes into U+FFFD.
		return news.Errorf(news.EINVALID, "요청 본문에 올바르지 않은 문자(UTF-8)가 있습니다.")
	case hasEscapedNUL(body):
		return errNUL
	}
	// Unmarshal, unlike a Decoder, refuses anything after the value.
	if err := json.Unmarshal(body, v); err != nil {
		return news.Errorf(news.EINVALID, "요청 본문을 읽을 수 없습니다: 올바른 JSON이 아닙니다.")
	}
	return nil
}

var errEmptyJSON = news.Errorf(news.EINVALID, "요청 본문(JSON)이 비어 있습니다.")

// errNUL refuses text holding U+0000: PostgreSQL cannot store it, so no
// store is ever given one.
var errNUL = news.Errorf(news.EINVALID, "입력에 쓸 수 없는 문자(NUL)가 있습니다.")

// hasEscapedNUL reports whether JSON text holds \u0000 in a string (a raw
// NUL byte is not valid JSON, so the decoder refuses that one itself).
func hasEscapedNUL(body []byte) bool {
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' || i+1 >= len(body) {
			continue
		}
		if body[i+1] == 'u' && i+6 <= len(body) && string(body[i+2:i+6]) == "0000" {
			return true
		}
		i++ // skip the escaped character, so \\u0000 is a backslash and text
	}
	return false
}

// jsonList turns a list into its JSON form: never null, [] when empty.
func jsonList[T, J any](list []T, toJSON func(T) J) []J {
	out := make([]J, 0, len(list))
	for _, item := range list {
		out = append(out, toJSON(item))
	}
	return out
}

// unpaged answers a list that is never paged: {key: [...], "next": ""}.
func unpaged[T, J any](key string, list []T, toJSON func(T) J) map[string]any {
	return map[string]any{key: jsonList(list, toJSON), "next": ""}
}
