// Package news is Jikji's domain: articles, sections, reporters, readers and
// what they do, the Store interface that persists them and the Service that
// enforces the rules. It imports nothing of HTTP or SQL.
package news

import (
	"errors"
	"fmt"
)

// Error codes. Each is the snake_case word sent as "code" in JSON errors; the
// web layer maps each to an HTTP status in one table.
const (
	ENOTFOUND      = "not_found"
	EINVALID       = "invalid"
	ECONFLICT      = "conflict"
	EUNAUTHORIZED  = "unauthorized"
	EFORBIDDEN     = "forbidden"
	EINTERNAL      = "internal"
	ERATELIMITED   = "rate_limited"
	ETOOLARGE      = "too_large"
	EPRECONDITION  = "precondition_failed"
	EREACTIONEXIST = "reaction_exists"
	ECOMMENTEMPTY  = "comment_empty"
	ECOMMENTLONG   = "comment_too_long"
	EEMAILTAKEN    = "email_taken"
	EBADLOGIN      = "bad_credentials"
	EWEAKPASSWORD  = "weak_password"
	ECLOSED        = "comments_closed"
	// EBUSY: the server is at its limit for this kind of work (searches
	// running at once); retry shortly.
	EBUSY = "busy"
)

// Error is a domain error: Code is machine readable, Message is Korean text
// a reader can be shown, Title an optional heading (as for the reaction notice).
type Error struct {
	Code    string
	Message string
	Title   string
}

func (e *Error) Error() string { return fmt.Sprintf("news: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and a formatted Korean message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the person-readable message of err, or a generic one
// for errors that are not domain errors (their text may hold internals).
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "일시적인 오류가 발생했습니다. 잠시 후 다시 시도해주세요."
}

// ErrorTitle returns the heading of a domain error, if it has one.
func ErrorTitle(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Title
	}
	return ""
}

// IsNotFound reports whether err carries ENOTFOUND.
func IsNotFound(err error) bool { return ErrorCode(err) == ENOTFOUND }
