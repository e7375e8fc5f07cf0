package main

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"jikji/internal/mailpit"
	"jikji/internal/news"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"golang.org/x/text/language"
)

// opUsers is the user list of the test's OpenID provider.
type opUsers map[string]*storage.User

func (u opUsers) GetUserByID(id string) *storage.User { return u[id] }
func (u opUsers) GetUserByUsername(name string) *storage.User {
	for _, user := range u {
		if user.Username == name {
			return user
		}
	}
	return nil
}
func (u opUsers) ExampleClientID() string { return "service" }

// testOP is a real OpenID Connect provider (zitadel/oidc's op package with
// its example storage and login form) on a local port: discovery, JWKS,
// PKCE, signed ID tokens and user info, as a company's own server has.
type testOP struct {
	issuer string
	ln     net.Listener
	users  opUsers
}

// listenOP reserves the provider's address, so the site can be configured
// with its issuer before either starts.
func listenOP(t *testing.T) *testOP {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	user := func(id, email string) *storage.User {
		return &storage.User{ID: id, Username: id, Password: "op password", FirstName: id, LastName: "님",
			Email: email, EmailVerified: true, PreferredLanguage: language.Korean}
	}
	return &testOP{issuer: "http://" + ln.Addr().String(), ln: ln, users: opUsers{
		"newbie":   user("newbie", "newbie@company.example"),
		"existing": user("existing", "reader@jikji.example"),
		"linker":   user("linker", "linker@company.example"),
		"kakao":    user("kakao", "kakao-reader@kakao.example"),
		"mailed":   user("mailed", "mailed@jikji.example"),
	}}
}

// start serves the provider with one web client whose redirect is the
// site's callback.
func (o *testOP) start(t *testing.T, siteURL string) {
	clients := map[string]*storage.Client{"jikji": storage.WebClient("jikji", "op secret", siteURL+"/auth/oidc/callback", siteURL+"/auth/kakao/callback")}
	srv := &httptest.Server{Listener: o.ln, Config: &http.Server{Handler: exampleop.SetupServer(o.issuer, storage.NewStorageWithClients(o.users, clients), nil, false)}}
	srv.Start()
	t.Cleanup(srv.Close)
}

// authorize goes from the site's start URL to the provider's login form
// and through it as user, and returns the URL the provider sends the
// browser back to (the site's callback with code and state), not yet
// followed. tamper may change the authorization request first.
func (o *testOP) authorize(t *testing.T, c *client, start, user string, tamper func(url.Values)) string {
	t.Helper()
	status, h, body := c.send(t, "GET", start, nil, nil)
	if status != http.StatusSeeOther {
		t.Fatalf("start: %d %s", status, body)
	}
	auth, _ := url.Parse(h.Get("Location"))
	q := auth.Query()
	for _, p := range []string{"state", "nonce", "code_challenge"} {
		if q.Get(p) == "" {
			t.Fatalf("authorization request without %s: %s", p, auth)
		}
	}
	if q.Get("code_challenge_method") != "S256" {
		t.Fatalf("PKCE method %q", q.Get("code_challenge_method"))
	}
	if tamper != nil {
		tamper(q)
		auth.RawQuery = q.Encode()
	}
	next := auth.String()
	for range 10 {
		res := opGet(t, c, next)
		if !strings.HasPrefix(next, o.issuer) {
			break
		}
		loc, err := res.Location()
		if err != nil {
			t.Fatalf("provider at %s: %d without redirect", next, res.StatusCode)
		}
		if strings.HasPrefix(loc.Path, "/login/username") {
			form := url.Values{"id": {loc.Query().Get("authRequestID")}, "username": {user}, "password": {"op password"}}
			req, _ := http.NewRequest("POST", o.issuer+"/login/username", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := c.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if loc, err = res.Location(); err != nil {
				t.Fatalf("provider login: %d", res.StatusCode)
			}
		}
		next = loc.String()
		if !strings.HasPrefix(next, "http") {
			next = o.issuer + next
		}
		if !strings.HasPrefix(next, o.issuer) {
			return next
		}
	}
	t.Fatalf("the provider never sent the browser back")
	return ""
}

func opGet(t *testing.T, c *client, u string) *http.Response {
	t.Helper()
	res, err := c.http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// follow requests a URL of the site and returns status, Location and body.
func follow(t *testing.T, c *client, u string) (int, string, string) {
	t.Helper()
	res, err := c.http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(body)
}

func TestOpenIDConnectLogin(t *testing.T) {
	op := listenOP(t)
	var clockAhead atomic.Int64 // how far the site's clock for ID tokens runs ahead
	mp := mailpit.Start(t)
	s := MustRunMain(t, withMailpit(mp), func(c *Config) {
		c.OIDCIssuer, c.OIDCClientID, c.OIDCClientSecret, c.OIDCName = op.issuer, "jikji", "op secret", "직지 사내 계정"
		c.providerClock = func() time.Time { return time.Now().Add(time.Duration(clockAhead.Load())) }
		// 카카오 speaks OpenID Connect; the same local provider stands in
		// for kauth.kakao.com, with 카카오's client secret in the form.
		c.KakaoClientID, c.KakaoClientSecret, c.kakaoIssuer = "jikji", "op secret", op.issuer
	})
	op.start(t, s.URL)
	me := func(c *client) (a struct {
		ID    int64
		Email string
		Role  string
	}) {
		c.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusOK, &a)
		return a
	}

	t.Run("ButtonOnlyForConfigured", func(t *testing.T) {
		_, body := newClient(t, s).page(t, "/login")
		if !strings.Contains(body, `href="/auth/oidc/start?next=%2f"`) || !strings.Contains(body, "직지 사내 계정으로 로그인") {
			t.Errorf("no OpenID Connect button on the login page")
		}
		if !strings.Contains(body, "provider-kakao") || !strings.Contains(body, "카카오 로그인") {
			t.Errorf("no 카카오 button on the login page")
		}
		for _, other := range []string{"/auth/naver/", "/auth/google/"} {
			if strings.Contains(body, other) {
				t.Errorf("button of an unconfigured provider %s", other)
			}
		}
		if st, _ := newClient(t, s).page(t, "/auth/google/start"); st != http.StatusNotFound {
			t.Errorf("unconfigured provider start: %d", st)
		}
	})

	var newbieID int64
	t.Run("SignUpThenLogin", func(t *testing.T) {
		c := newClient(t, s)
		back := op.authorize(t, c, "/auth/oidc/start?next=/me/saved", "newbie", nil)
		st, loc, body := follow(t, c, back)
		if st != http.StatusSeeOther || loc != "/me/saved" {
			t.Fatalf("callback: %d to %q: %.300s", st, loc, body)
		}
		a := me(c)
		if a.Email != "newbie@company.example" || a.Role != news.RoleReader {
			t.Fatalf("signed up as %+v", a)
		}
		newbieID = a.ID
		// A second login through the provider finds the same account.
		c2 := newClient(t, s)
		if st, _, _ := follow(t, c2, op.authorize(t, c2, "/auth/oidc/start", "newbie", nil)); st != http.StatusSeeOther {
			t.Fatalf("second login: %d", st)
		}
		if got := me(c2).ID; got != newbieID {
			t.Errorf("second login is account %d, want %d", got, newbieID)
		}
		// The provider is this account's only way in: it cannot be unlinked.
		c2.form(t, "/me/identities/oidc/delete", nil)
		var ids struct{ Identities []struct{ Provider string } }
		c2.mustJSON(t, "GET", "/api/v1/me/identities", nil, http.StatusOK, &ids)
		if len(ids.Identities) != 1 || ids.Identities[0].Provider != "oidc" {
			t.Errorf("last way in was unlinked: %+v", ids)
		}
		var e apiErr
		c2.mustJSON(t, "DELETE", "/api/v1/me/identities/oidc", nil, http.StatusConflict, &e)
	})

	t.Run("Kakao", func(t *testing.T) {
		c := newClient(t, s)
		back := op.authorize(t, c, "/auth/kakao/start?next=/me", "kakao", nil)
		if st, loc, body := follow(t, c, back); st != http.StatusSeeOther || loc != "/me" {
			t.Fatalf("callback: %d to %q: %s", st, loc, visibleText(body))
		}
		var ids struct{ Identities []struct{ Provider string } }
		c.mustJSON(t, "GET", "/api/v1/me/identities", nil, http.StatusOK, &ids)
		if a := me(c); a.Email != "kakao-reader@kakao.example" || len(ids.Identities) != 1 || ids.Identities[0].Provider != "kakao" {
			t.Errorf("signed up through 카카오 as %+v with %+v", a, ids)
		}
	})

	t.Run("RefusedState", func(t *testing.T) {
		c := newClient(t, s)
		back, _ := url.Parse(op.authorize(t, c, "/auth/oidc/start", "newbie", nil))
		q := back.Query()
		q.Set("state", "forged"+q.Get("state"))
		back.RawQuery = q.Encode()
		if st, _, _ := follow(t, c, back.String()); st != http.StatusBadRequest {
			t.Errorf("forged state: %d, want 400", st)
		}
		c.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)
		// Nor does a callback without the browser's own start count.
		stranger := newClient(t, s)
		if st, _, _ := follow(t, stranger, op.authorize(t, newClient(t, s), "/auth/oidc/start", "newbie", nil)); st != http.StatusBadRequest {
			t.Errorf("callback in another browser: %d, want 400", st)
		}
	})

	t.Run("WrongNonce", func(t *testing.T) {
		c := newClient(t, s)
		back := op.authorize(t, c, "/auth/oidc/start", "newbie", func(q url.Values) { q.Set("nonce", "replayed-nonce") })
		if st, _, _ := follow(t, c, back); st != http.StatusBadRequest {
			t.Errorf("ID token of another nonce: %d, want 400", st)
		}
		c.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)
	})

	t.Run("ExpiredIDToken", func(t *testing.T) {
		c := newClient(t, s)
		back := op.authorize(t, c, "/auth/oidc/start", "newbie", nil)
		clockAhead.Store(int64(2 * time.Hour)) // the provider's tokens live an hour
		st, _, _ := follow(t, c, back)
		clockAhead.Store(0)
		if st != http.StatusBadRequest {
			t.Errorf("expired ID token: %d, want 400", st)
		}
		c.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)
	})

	t.Run("ExistingEmailNeedsPassword", func(t *testing.T) {
		owner := mustSignUp(t, s, "reader@jikji.example", "기존 독자")
		ownerID := me(owner).ID
		c := newClient(t, s)
		st, loc, _ := follow(t, c, op.authorize(t, c, "/auth/oidc/start?next=/me", "existing", nil))
		if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/auth/link") {
			t.Fatalf("provider login with a registered e-mail: %d to %q", st, loc)
		}
		c.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil) // not logged in yet
		if _, body := c.page(t, loc); !strings.Contains(body, "reader@jikji.example") || !strings.Contains(body, `name="password"`) {
			t.Fatalf("link page: %.500s", body)
		}
		if res := c.form(t, "/auth/link", url.Values{"password": {"not the password"}, "next": {"/me"}}); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d", res.StatusCode)
		}
		c.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)
		res := c.form(t, "/auth/link", url.Values{"password": {"correct horse battery"}, "next": {"/me"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("owner's password: %d", res.StatusCode)
		}
		if got := me(c).ID; got != ownerID {
			t.Fatalf("linked login is account %d, want the owner's %d", got, ownerID)
		}
		// From now on the provider leads straight to the owner's account.
		c2 := newClient(t, s)
		follow(t, c2, op.authorize(t, c2, "/auth/oidc/start", "existing", nil))
		if got := me(c2).ID; got != ownerID {
			t.Errorf("next provider login: account %d, want %d", got, ownerID)
		}
	})

	t.Run("ExistingEmailConfirmedByMail", func(t *testing.T) {
		owner := mustSignUp(t, s, "mailed@jikji.example", "메일 독자")
		ownerID := me(owner).ID
		c := newClient(t, s)
		_, loc, _ := follow(t, c, op.authorize(t, c, "/auth/oidc/start", "mailed", nil))
		if _, body := c.page(t, loc); !strings.Contains(body, `action="/auth/link/mail"`) {
			t.Fatal("no confirmation-mail choice on the link page")
		}
		if res := c.form(t, "/auth/link/mail", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("ask for the mail: %d", res.StatusCode)
		}
		m := mp.WaitFor(t, "mailed@jikji.example", "로그인 연결을 확인해주세요", 10*time.Second)
		link := linkConfirmLink.FindString(m.Text)
		if m.Subject != "[직지일보] 직지 사내 계정 로그인 연결을 확인해주세요" || !strings.HasPrefix(link, s.URL+"/auth/link/confirm?token=") ||
			!strings.Contains(m.HTML, strings.TrimPrefix(link, s.URL)) {
			t.Fatalf("link mail %q: %s", m.Subject, m.Text)
		}

		c.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusUnauthorized, nil)
		// Opening the link changes nothing (mail scanners follow links);
		// its button does, in any browser that has the mail.
		mailReader := newClient(t, s)
		st, body := mailReader.page(t, strings.TrimPrefix(link, s.URL))
		if st != http.StatusOK || !strings.Contains(body, `action="/auth/link/confirm"`) {
			t.Fatalf("confirm page: %d", st)
		}
		token, _ := url.Parse(link)
		if res := mailReader.form(t, "/auth/link/confirm", url.Values{"token": {token.Query().Get("token")}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirm: %d", res.StatusCode)
		}
		if got := me(mailReader).ID; got != ownerID {
			t.Fatalf("confirmed login is account %d, want %d", got, ownerID)
		}
		if res := newClient(t, s).form(t, "/auth/link/confirm", url.Values{"token": {token.Query().Get("token")}}); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("a confirmation link used twice: %d", res.StatusCode)
		}
	})

	t.Run("LinkAndUnlink", func(t *testing.T) {
		c := mustSignUp(t, s, "linker@jikji.example", "연결할 독자")
		id := me(c).ID
		st, loc, body := follow(t, c, op.authorize(t, c, "/auth/oidc/start?link=1", "linker", nil))
		if st != http.StatusSeeOther || loc != "/me" {
			t.Fatalf("link: %d to %q: %.300s", st, loc, body)
		}
		other := newClient(t, s)
		follow(t, other, op.authorize(t, other, "/auth/oidc/start", "linker", nil))
		if got := me(other).ID; got != id {
			t.Fatalf("login through the linked provider: account %d, want %d", got, id)
		}
		if _, page := c.page(t, "/me"); !strings.Contains(page, "직지 사내 계정 연결됨") {
			t.Errorf("/me does not show the linked provider")
		}
		// An account with a password may unlink its provider.
		if res := c.form(t, "/me/identities/oidc/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("unlink: %d", res.StatusCode)
		}
		fresh := newClient(t, s)
		follow(t, fresh, op.authorize(t, fresh, "/auth/oidc/start", "linker", nil))
		if st, _ := fresh.do(t, "GET", "/api/v1/me", nil); st == http.StatusOK && me(fresh).ID == id {
			t.Error("the unlinked provider still logs in to the account")
		}
	})
}

// naverFake stands in for 네이버 로그인: its documented authorize, token and
// user-info endpoints (OAuth 2.0 without OpenID Connect).
func naverFake(t *testing.T, clientID, secret string) *httptest.Server {
	codes := map[string]bool{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /oauth2.0/authorize", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("response_type") != "code" || q.Get("client_id") != clientID || q.Get("state") == "" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		codes["naver-code"] = true
		to, _ := url.Parse(q.Get("redirect_uri"))
		to.RawQuery = url.Values{"code": {"naver-code"}, "state": {q.Get("state")}}.Encode()
		http.Redirect(w, r, to.String(), http.StatusFound)
	})
	mux.HandleFunc("POST /oauth2.0/token", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.PostForm.Get("client_id") != clientID || r.PostForm.Get("client_secret") != secret || !codes[r.PostForm.Get("code")] {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"error":"invalid_request","error_description":"no valid code"}`))
			return
		}
		delete(codes, r.PostForm.Get("code"))
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"access_token":"naver-access","refresh_token":"r","token_type":"bearer","expires_in":"3600"}`))
	})
	mux.HandleFunc("GET /v1/nid/me", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer naver-access" {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"resultcode":"024","message":"Authentication failed"}`))
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"resultcode": "00", "message": "success", "response": map[string]string{
			"id": "32742776", "email": "naver-reader@naver.com", "nickname": "네이버독자", "name": "김독자"}})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestNaverLogin(t *testing.T) {
	var naver *httptest.Server
	s := MustRunMain(t, func(c *Config) {
		naver = naverFake(t, "naver-id", "naver-secret")
		c.NaverClientID, c.NaverClientSecret = "naver-id", "naver-secret"
		c.naverAuthURL, c.naverTokenURL, c.naverUserInfoURL = naver.URL+"/oauth2.0/authorize", naver.URL+"/oauth2.0/token", naver.URL+"/v1/nid/me"
	})
	c := newClient(t, s)
	_, login := c.page(t, "/login")
	if !strings.Contains(login, "provider-naver") || !strings.Contains(login, "네이버 로그인") {
		t.Fatal("no 네이버 button on the login page")
	}
	st, h, _ := c.send(t, "GET", "/auth/naver/start?next=/me", nil, nil)
	if st != http.StatusSeeOther {
		t.Fatalf("start: %d", st)
	}
	res := opGet(t, c, h.Get("Location"))
	back, err := res.Location()
	if err != nil {
		t.Fatalf("naver authorize: %d", res.StatusCode)
	}
	st, loc, body := follow(t, c, back.String())
	if st != http.StatusSeeOther || loc != "/me" {
		t.Fatalf("callback: %d to %q: %.300s", st, loc, body)
	}
	var a struct {
		Email       string `json:"email"`
		DisplayName string `json:"display_name"`
	}
	c.mustJSON(t, "GET", "/api/v1/me", nil, http.StatusOK, &a)
	if a.Email != "naver-reader@naver.com" || a.DisplayName != "네이버독자" {
		t.Errorf("signed up through 네이버 as %+v", a)
	}
}

var linkConfirmLink = regexp.MustCompile(`http://[^\s]+/auth/link/confirm\?token=[A-Za-z0-9_%-]+`)
