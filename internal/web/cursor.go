package web

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"jikji/internal/news"
)

// Cursors are opaque to clients: base64url of "<unix micros>.<id>".

func encodeCursor(p *news.Position) string {
	if p == nil {
		return ""
	}
	raw := strconv.FormatInt(p.PublishedAt.UnixMicro(), 10) + "." + strconv.FormatInt(p.ID, 10)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

var errBadCursor = news.Errorf(news.EINVALID, "잘못된 페이지 위치(cursor)입니다.")

func decodeCursor(c string) (*news.Position, error) {
	if c == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, errBadCursor
	}
	at, id, ok := strings.Cut(string(raw), ".")
	if !ok {
		return nil, errBadCursor
	}
	us, err1 := strconv.ParseInt(at, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil || n <= 0 {
		return nil, errBadCursor
	}
	return &news.Position{PublishedAt: time.UnixMicro(us), ID: n}, nil
}

// parseLimit clamps ?limit= to 1–100, 20 when absent; garbage is an error.
func parseLimit(v string) (int, error) {
	if v == "" {
		return 20, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, news.Errorf(news.EINVALID, "limit은 숫자여야 합니다.")
	}
	return min(max(n, 1), 100), nil
}

// Comment cursors: base64url of "<key>.<id>".

func encodeCommentCursor(p *news.CommentPosition) string {
	if p == nil {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(p.Key, 10) + "." + strconv.FormatInt(p.ID, 10)))
}

func decodeCommentCursor(c string) (*news.CommentPosition, error) {
	if c == "" {
		return nil, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, errBadCursor
	}
	k, id, ok := strings.Cut(string(raw), ".")
	if !ok {
		return nil, errBadCursor
	}
	key, err1 := strconv.ParseInt(k, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil || n <= 0 {
		return nil, errBadCursor
	}
	return &news.CommentPosition{Key: key, ID: n}, nil
}

// pageQuery is a personal list's query: limit and cursor.
type pageQuery struct {
	Limit  int
	Before *news.Position
}

func (in *pageQuery) readRequest(_ *Server, _ http.ResponseWriter, r *http.Request) error {
	var err error
	if in.Limit, err = parseLimit(r.URL.Query().Get("limit")); err != nil {
		return err
	}
	in.Before, err = decodeCursor(r.URL.Query().Get("cursor"))
	return err
}
