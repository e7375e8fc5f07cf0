package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestLoginThenRoleThenID holds every route that needs a login to one
// order: who you are is answered before whether the thing exists, so a
// stranger learns nothing from a guessed or malformed id.
func TestLoginThenRoleThenID(t *testing.T) {
	// Without rate limits: a burst of writes must meet the checks, not 429.
	s := MustRunMain(t, func(c *Config) { c.RateLimit = false })
	anon := newClient(t, s)
	reader := mustSignUp(t, s, "order@example.com", "순서독자")

	readerAPI := []struct{ method, path string }{
		{"POST", "/api/v1/articles/%s/comments"},
		{"DELETE", "/api/v1/comments/%s"},
		{"PUT", "/api/v1/comments/%s/votes/like"},
		{"POST", "/api/v1/comments/%s/reports"},
		{"PUT", "/api/v1/articles/%s/reaction"},
		{"GET", "/api/v1/articles/%s/bookmark"},
		{"PUT", "/api/v1/reporters/%s/subscription"},
	}
	staffAPI := []struct{ method, path string }{
		{"GET", "/api/v1/newsroom/articles/%s"},
		{"PATCH", "/api/v1/newsroom/articles/%s"},
		{"POST", "/api/v1/newsroom/articles/%s/publish"},
		{"GET", "/api/v1/newsroom/articles/%s/revisions"},
		{"DELETE", "/api/v1/newsroom/tokens/%s"},
		{"POST", "/api/v1/newsroom/moderation/comments/%s"},
		{"PUT", "/api/v1/newsroom/moderation/sanctions/%s"},
		{"GET", "/api/v1/newsroom/articles/%s/comment-mode"},
		{"POST", "/api/v1/newsroom/moderation/takedowns/%s/decision"},
	}
	readerForms := []string{
		"/articles/%s/comments", "/comments/%s/delete", "/comments/%s/vote", "/comments/%s/report",
		"/articles/%s/reaction", "/articles/%s/bookmark", "/reporters/%s/subscription",
	}
	staffForms := []string{
		"/newsroom/articles/%s/submit", "/newsroom/articles/%s/publish", "/newsroom/tokens/%s/revoke",
		"/newsroom/moderation/comments/%s", "/newsroom/moderation/takedowns/%s",
	}
	body := map[string]string{"body": "x", "reaction": "like", "reason": "광고·도배"}
	for _, id := range []string{"999999999", "abc"} {
		with := func(p string) string { return strings.Replace(p, "%s", id, 1) }
		for _, r := range append(readerAPI, staffAPI...) {
			if status, out := anon.do(t, r.method, with(r.path), body); status != http.StatusUnauthorized {
				t.Errorf("anonymous %s %s: %d, want 401: %s", r.method, with(r.path), status, out)
			}
		}
		for _, r := range staffAPI {
			if status, out := reader.do(t, r.method, with(r.path), body); status != http.StatusForbidden {
				t.Errorf("reader %s %s: %d, want 403: %s", r.method, with(r.path), status, out)
			}
		}
		for _, r := range readerAPI {
			if status, out := reader.do(t, r.method, with(r.path), body); status != http.StatusNotFound {
				t.Errorf("reader %s %s: %d, want 404: %s", r.method, with(r.path), status, out)
			}
		}
		for _, p := range append(readerForms, staffForms...) {
			res := anon.form(t, with(p), url.Values{"body": {"x"}})
			if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
				t.Errorf("anonymous form %s: %d to %q, want the login page", with(p), res.StatusCode, loc)
			}
		}
		for _, p := range staffForms {
			if res := reader.form(t, with(p), nil); res.StatusCode != http.StatusForbidden {
				t.Errorf("reader form %s: %d, want 403", with(p), res.StatusCode)
			}
		}
		for _, p := range readerForms {
			if res := reader.form(t, with(p), url.Values{"body": {"x"}, "kind": {"like"}, "reason": {"광고·도배"}}); res.StatusCode != http.StatusNotFound {
				t.Errorf("reader form %s: %d, want 404", with(p), res.StatusCode)
			}
		}
	}
}
