package web

import (
	"context"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"jikji/internal/news"
)

const (
	sessionCookie = "jikji_session"
	flashCookie   = "jikji_flash"
	draftCookie   = "jikji_draft"
)

type viewerKey struct{}

// withViewer resolves the session cookie, if any, to the account making the
// request. Anonymous requests cost no database round trip.
func (s *Server) withViewer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		a, err := s.Svc.SessionAccount(r.Context(), c.Value)
		if err != nil {
			if news.ErrorCode(err) == news.EINTERNAL {
				s.Logger.Error("session lookup", "err", err)
			}
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), viewerKey{}, a)))
	})
}

// viewer returns the logged-in account, or the zero Account.
func viewer(r *http.Request) news.Account {
	a, _ := r.Context().Value(viewerKey{}).(news.Account)
	return a
}

// secure reports whether cookies should be marked Secure: the request came
// over TLS, or the site's public origin is https (a TLS proxy in front).
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(s.BaseURL, "https://") || s.forwardedHTTPS(r)
}

func (s *Server) setSession(w http.ResponseWriter, r *http.Request, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r),
	})
}

func (s *Server) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r),
	})
}

// login starts a session for the account, replacing any session the
// browser had, so a session ID is never reused across a login.
func (s *Server) login(w http.ResponseWriter, r *http.Request, a news.Account) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.Svc.Logout(r.Context(), c.Value)
	}
	token, sess, err := s.Svc.Begin(r.Context(), a, r.UserAgent())
	if err != nil {
		return err
	}
	s.setSession(w, r, token, sess.ExpiresAt)
	return nil
}

// flash is a one-time notice shown on the next page after a redirect, for
// readers without JavaScript.
type flash struct {
	Title   string
	Message string
	Error   bool
}

func (s *Server) setFlash(w http.ResponseWriter, r *http.Request, f flash) {
	v := url.Values{}
	v.Set("t", f.Title)
	v.Set("m", f.Message)
	if f.Error {
		v.Set("e", "1")
	}
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: v.Encode(), Path: "/", MaxAge: 60,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r),
	})
}

// takeFlash reads and clears the pending notice.
func (s *Server) takeFlash(w http.ResponseWriter, r *http.Request) *flash {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	v, err := url.ParseQuery(c.Value)
	if err != nil || v.Get("m") == "" {
		return nil
	}
	return &flash{Title: v.Get("t"), Message: v.Get("m"), Error: v.Get("e") == "1"}
}

// commentDraft is a comment the server refused (too long, held, rate
// limited…), kept for the form it came from: without JavaScript the box
// would otherwise come back empty.
type commentDraft struct {
	ParentID int64
	Body     string
}

// maxDraftBytes keeps the draft cookie under the 4 KB browsers allow.
const maxDraftBytes = 2400

// keepDraft remembers the comment a form sent, for the next page.
func (s *Server) keepDraft(w http.ResponseWriter, r *http.Request) {
	body := r.PostFormValue("body")
	if strings.TrimSpace(body) == "" {
		return
	}
	if len(body) > maxDraftBytes {
		cut := maxDraftBytes
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		body = body[:cut]
	}
	parent, _ := strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64)
	value := strconv.FormatInt(max(parent, 0), 10) + "\n" + body
	http.SetCookie(w, &http.Cookie{
		Name: draftCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(value)), Path: "/", MaxAge: 600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r),
	})
}

// takeDraft reads and clears the kept comment, if any.
func (s *Server) takeDraft(w http.ResponseWriter, r *http.Request) *commentDraft {
	c, err := r.Cookie(draftCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: draftCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || !utf8.Valid(raw) {
		return nil
	}
	parent, body, ok := strings.Cut(string(raw), "\n")
	id, err := strconv.ParseInt(parent, 10, 64)
	if !ok || err != nil || id < 0 || body == "" {
		return nil
	}
	return &commentDraft{ParentID: id, Body: body}
}

// withAnchor sends the reader back to a place on the page: back with its
// fragment replaced by anchor.
func withAnchor(back, anchor string) string {
	if i := strings.IndexByte(back, '#'); i >= 0 {
		back = back[:i]
	}
	return back + "#" + anchor
}

// safeNext keeps post-login redirects on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}

// loginURL is the login page that brings the reader back to next.
func loginURL(next string) string {
	return "/login?next=" + url.QueryEscape(safeNext(next))
}

// backTo is where a form post returns: the page it came from when that is
// on this site, else fallback.
func backTo(r *http.Request, fallback string) string {
	if next := r.PostFormValue("next"); next != "" {
		return safeNext(next)
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Path != "" && ref.Host == r.Host {
		p := ref.Path
		if ref.RawQuery != "" {
			p += "?" + ref.RawQuery
		}
		return safeNext(p)
	}
	return fallback
}

// clientIP is the address rate limits apply to: the peer, or the address a
// trusted proxy forwarded.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if s.trustedPeer(host) {
		if fwd := r.Header.Get("X-Forwarded-For"); fwd != "" {
			// The right-most address not of a trusted proxy is the client.
			parts := strings.Split(fwd, ",")
			for i := len(parts) - 1; i >= 0; i-- {
				ip := strings.TrimSpace(parts[i])
				if net.ParseIP(ip) == nil {
					break
				}
				if !s.trustedPeer(ip) {
					return ip
				}
				host = ip
			}
		}
	}
	return host
}

func (s *Server) trustedPeer(ip string) bool {
	addr := net.ParseIP(ip)
	if addr == nil {
		return false
	}
	for _, n := range s.TrustedProxies {
		if n.Contains(addr) {
			return true
		}
	}
	return false
}

func (s *Server) forwardedHTTPS(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	return err == nil && s.trustedPeer(host) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
