package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

// client is a reader's browser session against a test site.
type client struct {
	site *testSite
	http *http.Client
}

func newClient(tb testing.TB, s *testSite) *client {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	return &client{site: s, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// do sends a JSON request (body may be nil) and returns status and body.
func (c *client) do(tb testing.TB, method, path string, body any) (int, []byte) {
	tb.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			tb.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.site.URL+path, r)
	if err != nil {
		tb.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}

// mustJSON sends a request, checks the status and decodes the answer.
func (c *client) mustJSON(tb testing.TB, method, path string, body any, want int, v any) {
	tb.Helper()
	status, out := c.do(tb, method, path, body)
	if status != want {
		tb.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, out)
	}
	if v != nil {
		if err := json.Unmarshal(out, v); err != nil {
			tb.Fatalf("%s %s: %v in %s", method, path, err, out)
		}
	}
}

// form posts an HTML form and returns the response (redirects not followed).
func (c *client) form(tb testing.TB, path string, values url.Values) *http.Response {
	tb.Helper()
	req, _ := http.NewRequest("POST", c.site.URL+path, strings.NewReader(values.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.http.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

func (c *client) page(tb testing.TB, path string) (int, string) {
	tb.Helper()
	res, err := c.http.Get(c.site.URL + path)
	if err != nil {
		tb.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

type apiErr struct {
	Error string `json:"error"`
	Code  string `json:"code"`
	Title string `json:"title"`
}

// mustSignUp creates a reader through the API and keeps the session.
func mustSignUp(tb testing.TB, s *testSite, email, name string) *client {
	tb.Helper()
	c := newClient(tb, s)
	var me struct{ ID int64 }
	c.mustJSON(tb, "POST", "/api/v1/auth/signup", map[string]string{"email": email, "password": "correct horse battery", "display_name": name}, http.StatusCreated, &me)
	if me.ID == 0 {
		tb.Fatal("sign-up returned no id")
	}
	return c
}
