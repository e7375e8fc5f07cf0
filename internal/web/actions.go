package web

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"jikji/internal/news"
)

// Every rule is also enforced by the service; checking the access here
// first answers 401/403 (or the login page) before any work is done.
//
// Every route that needs a login goes through one of three wrappers, which
// check in the same order: the login (401, or the login page for people),
// the role (403), the {id} of the path (404), then read the input and call
// a typed function:
//
//	jsonAction  JSON in, JSON out: the API.
//	formAction  a form in, a notice and a 303 back out: the pages' buttons.
//	view        a page that needs a login or a role.

// access says who may call a route: any logged-in reader, or staff of the
// roles a check allows. (Routes for anyone take no wrapper.)
type access struct {
	login bool
	role  func(role string) bool
}

// reader is the access of routes for any logged-in account.
var reader = access{login: true}

// staff is the access of routes for the roles allowed approves; on the API
// they also take a personal API token.
func staff(allowed func(role string) bool) access { return access{login: true, role: allowed} }

// The newsroom's roles, as routes name them.
var (
	writer    = staff(news.CanWrite)      // reporters, editors, admins
	desk      = staff(news.CanPublish)    // editors and admins
	moderator = staff(news.CanModerate)   // moderators, editors and admins
	admin     = staff(news.CanAdminister) // admins
)

// none is the input of an action that reads nothing from the request.
type none struct{}

func (*none) readRequest(*Server, http.ResponseWriter, *http.Request) error { return nil }
func (*none) parseForm(url.Values) error                                    { return nil }

// requestReader is an input that reads itself from the request (the query
// of a GET, an optional body, a multipart upload) instead of from the one
// JSON decoder.
type requestReader interface {
	readRequest(s *Server, w http.ResponseWriter, r *http.Request) error
}

// headerSetter is an answer that sets response headers of its own (ETag,
// Location).
type headerSetter interface{ setHeaders(h http.Header) }

// statusChooser is an answer whose status depends on the outcome (a
// comment posted, 201, or held for a moderator, 202).
type statusChooser interface{ statusCode() int }

// action is what a JSON route does, given who calls, the {id} of its path
// (0 if it has none) and its input.
type action[In, Out any] func(r *http.Request, v news.Account, id int64, in In) (Out, error)

// jsonAction makes a JSON route's handler. It checks, in this order, the
// login (401), the role (403) and the {id} of the path (404), reads the
// input (with the one JSON decoder unless In reads itself), calls do and
// writes its answer with status (204: no body).
func jsonAction[In, Out any](s *Server, who access, status int, do action[In, Out]) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := s.callerFor(r, who, true)
		if err != nil {
			return err
		}
		if who.login {
			// An answer for one person is kept by no cache.
			w.Header().Set("Cache-Control", "private, no-store")
		}
		id, err := optionalPathID(r)
		if err != nil {
			return err
		}
		var in In
		if rr, ok := any(&in).(requestReader); ok {
			err = rr.readRequest(s, w, r)
		} else {
			err = decodeJSON(w, r, &in)
		}
		if err != nil {
			return err
		}
		out, err := do(r, v, id, in)
		if err != nil {
			return err
		}
		if hs, ok := any(out).(headerSetter); ok {
			hs.setHeaders(w.Header())
		}
		// The route's status, unless this answer chooses its own: a local,
		// for the closure serves every request of the route at once.
		status := status
		if sc, ok := any(out).(statusChooser); ok {
			status = sc.statusCode()
		}
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return nil
		}
		writeJSON(w, status, out)
		return nil
	}
}

// optionalPathID is the {id} of the path, 0 if the route has none, and
// not found if it is not a positive number.
func optionalPathID(r *http.Request) (int64, error) {
	if r.PathValue("id") == "" {
		return 0, nil
	}
	return pathID(r, "id")
}

// callerFor returns who calls, if they may: ErrLoginRequired (401) without
// a login where one is needed, ErrNoRole (403) without the role. Staff
// routes of the API also take a personal API token (tokens).
func (s *Server) callerFor(r *http.Request, who access, tokens bool) (news.Account, error) {
	switch {
	case who.role != nil:
		v, err := viewer(r), error(nil)
		byToken := tokens && r.Header.Get("Authorization") != ""
		if tokens {
			v, err = s.caller(r)
		} else if v.ID == 0 {
			err = news.ErrLoginRequired()
		}
		if err != nil {
			return v, err
		}
		if !who.role(v.Role) {
			return news.Account{}, news.ErrNoRole()
		}
		// A password alone does not open the newsroom to those who must
		// use two-factor; a personal API token is the admin's grant and
		// stays as it is.
		if !byToken && s.Svc.NeedsTwoFactorSetup(v) {
			return news.Account{}, news.ErrOTPSetupRequired()
		}
		return v, nil
	case who.login:
		v := viewer(r)
		if v.ID == 0 {
			return v, news.ErrLoginRequired()
		}
		return v, nil
	}
	return viewer(r), nil
}

// toTwoFactorSetup sends staff who must set up two-factor to its page,
// then back to back.
func toTwoFactorSetup(w http.ResponseWriter, r *http.Request, back string) {
	http.Redirect(w, r, "/me/2fa?next="+url.QueryEscape(back), http.StatusSeeOther)
}

// A form's typed input is a struct whose fields name their form field in
// a tag, `form:"reason"`: a string takes the value, a bool is true for "1".
// An input that needs more (numbers, checks with their own message) parses
// itself as a formParser, whose EINVALID error goes back to the form as a
// notice; a multipart upload is a requestReader.
type formParser interface {
	parseForm(f url.Values) error
}

// formFields are the tagged fields of a form input type, by index.
func formFields(t reflect.Type) map[int]string {
	fields := map[int]string{}
	if t.Kind() != reflect.Struct {
		return fields
	}
	for i := range t.NumField() {
		if name := t.Field(i).Tag.Get("form"); name != "" {
			fields[i] = name
		}
	}
	return fields
}

// decodeForm fills the tagged string and bool fields of dst, a pointer to a
// struct, from f.
func decodeForm(f url.Values, dst any) {
	v := reflect.ValueOf(dst).Elem()
	for i, name := range formFields(v.Type()) {
		switch field := v.Field(i); field.Kind() {
		case reflect.String:
			field.SetString(f.Get(name))
		case reflect.Bool:
			field.SetBool(f.Get(name) == "1")
		}
	}
}

// done is what a form action tells the person afterwards.
type done struct {
	// Notice is shown on the page they land on; none if empty.
	Notice string
	// To is where they land, if not back where they came from.
	To string
	// FailTitle heads the notice when the action fails, instead of the
	// error's own title.
	FailTitle string
	// KeepDraft keeps the comment they typed when it was not posted, or
	// is held for a moderator.
	KeepDraft bool
}

// formDo is what a form route does, given who posts, the {id} of its path
// and the parsed form.
type formDo[In any] func(r *http.Request, v news.Account, id int64, in In) (done, error)

// backFunc says where a form returns, given the request and the {id} of
// its path: the login page brings an anonymous visitor back there too. It
// runs before the form is read, so a multipart form's must not read the
// body (backTo does).
type backFunc func(r *http.Request, id int64) string

// backOr returns to the page the form came from, else to fallback.
func backOr(fallback string) backFunc {
	return func(r *http.Request, _ int64) string { return backTo(r, fallback) }
}

// backAt always returns to path.
func backAt(path string) backFunc {
	return func(*http.Request, int64) string { return path }
}

// formAction makes a form route's handler. It checks, in this order, the
// login (the login page, then back), the role (403 page) and the {id} of
// the path (404 page), parses the form into In, calls do and sends the
// person back (303) with its notice. A refusal the person can act on (bad
// input, a conflict, a closed thread, a limit) goes back as an error
// notice; a refusal of the person (403) and a missing target of the path
// (404) are error pages, as is anything unexpected.
func formAction[In any](s *Server, who access, back backFunc, do formDo[In]) handlerFunc {
	var probe In
	switch any(&probe).(type) {
	case formParser, requestReader:
	default:
		if len(formFields(reflect.TypeOf(probe))) == 0 {
			panic(fmt.Sprintf("web: form input %T reads no field", probe))
		}
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		id, idErr := optionalPathID(r)
		to := back(r, id)
		v, err := s.callerFor(r, who, false)
		switch news.ErrorCode(err) {
		case news.EUNAUTHORIZED:
			http.Redirect(w, r, loginURL(to), http.StatusSeeOther)
			return nil
		case news.EOTPSETUP:
			toTwoFactorSetup(w, r, to)
			return nil
		}
		if err != nil {
			return err
		}
		if idErr != nil {
			return idErr
		}
		var in In
		var d done
		if err = readForm(s, w, r, &in); err == nil {
			d, err = do(r, v, id, in)
		}
		if d.To != "" {
			to = d.To
		}
		if d.KeepDraft {
			s.keepDraft(w, r)
		}
		if err != nil {
			return s.refuseForm(w, r, to, d, err)
		}
		if d.Notice != "" {
			s.setFlash(w, r, flash{Message: d.Notice})
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
}

// readForm parses the posted form into in.
func readForm(s *Server, w http.ResponseWriter, r *http.Request, in any) error {
	if rr, ok := in.(requestReader); ok {
		return rr.readRequest(s, w, r)
	}
	if err := r.ParseForm(); err != nil {
		return news.Errorf(news.EINVALID, "양식을 읽을 수 없습니다.")
	}
	if fp, ok := in.(formParser); ok {
		return fp.parseForm(r.PostForm)
	}
	decodeForm(r.PostForm, in)
	return nil
}

// refuseForm answers a form the service refused.
func (s *Server) refuseForm(w http.ResponseWriter, r *http.Request, back string, d done, err error) error {
	switch news.ErrorCode(err) {
	case news.EUNAUTHORIZED:
		http.Redirect(w, r, loginURL(back), http.StatusSeeOther)
		return nil
	case news.EFORBIDDEN:
		return err
	case news.ENOTFOUND:
		if r.PathValue("id") != "" || r.PathValue("slug") != "" {
			return err
		}
	}
	if httpStatus(err) >= 500 {
		return err
	}
	title := d.FailTitle
	if title == "" {
		title = news.ErrorTitle(err)
	}
	setRetryAfter(w, err)
	s.setFlash(w, r, flash{Title: title, Message: news.ErrorMessage(err), Error: true})
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// viewFunc is a page for someone logged in.
type viewFunc func(w http.ResponseWriter, r *http.Request, v news.Account) error

// view makes the handler of a page only who may see: an anonymous visitor
// goes to the login page and comes back; a reader without the role gets
// the 403 page.
func (s *Server) view(who access, page viewFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := s.callerFor(r, who, false)
		if code := news.ErrorCode(err); code == news.EUNAUTHORIZED || code == news.EOTPSETUP {
			back := r.URL.RequestURI()
			if r.Method != http.MethodGet {
				back = backTo(r, "/")
			}
			if code == news.EOTPSETUP {
				toTwoFactorSetup(w, r, back)
				return nil
			}
			http.Redirect(w, r, loginURL(back), http.StatusSeeOther)
			return nil
		}
		if err != nil {
			return err
		}
		// A page for one person is kept by no cache.
		w.Header().Set("Cache-Control", "private, no-store")
		return page(w, r, v)
	}
}

// caller returns the account making a newsroom API request: the session's,
// or the owner of the personal API token sent as "Authorization: Bearer".
func (s *Server) caller(r *http.Request) (news.Account, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return news.Account{}, news.Errorf(news.EUNAUTHORIZED, "Authorization 헤더는 'Bearer <토큰>' 형식이어야 합니다.")
		}
		return s.Svc.TokenAccount(r.Context(), strings.TrimSpace(token))
	}
	if v := viewer(r); v.ID != 0 {
		return v, nil
	}
	return news.Account{}, news.ErrLoginRequired()
}
