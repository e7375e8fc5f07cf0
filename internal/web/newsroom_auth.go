package web

import (
	"net/http"
	"net/url"
	"strings"

	"jikji/internal/news"
)

// Newsroom access. Every rule is also enforced by the service; checking the
// role here first gives API callers 401/403 and page visitors the login page
// or the 403 page before any work is done.

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
		// A password alone does not open the newsroom to those who
		// must use two-factor; personal API tokens are the admin's
		// grant and stay as they are.
		if s.Svc.NeedsTwoFactorSetup(v) {
			return news.Account{}, news.ErrOTPSetupRequired()
		}
		return v, nil
	}
	return news.Account{}, news.ErrLoginRequired()
}

// apiStaff returns the caller if its role is allowed: 401 without a session
// or token, 403 with one but without the role.
func (s *Server) apiStaff(r *http.Request, allowed func(role string) bool) (news.Account, error) {
	a, err := s.caller(r)
	if err != nil {
		return news.Account{}, err
	}
	if !allowed(a.Role) {
		return news.Account{}, news.ErrNoRole()
	}
	return a, nil
}

// pageStaff returns the viewer if its role is allowed. An anonymous visitor
// is sent to the login page and back (ok false, nothing more to do); a
// viewer without the role gets the 403 page through the returned error.
func (s *Server) pageStaff(w http.ResponseWriter, r *http.Request, allowed func(role string) bool) (news.Account, bool, error) {
	v := viewer(r)
	if v.ID == 0 {
		back := r.URL.RequestURI()
		if r.Method != http.MethodGet {
			back = backTo(r, "/newsroom")
		}
		http.Redirect(w, r, loginURL(back), http.StatusSeeOther)
		return v, false, nil
	}
	if !allowed(v.Role) {
		return v, false, news.ErrNoRole()
	}
	if s.Svc.NeedsTwoFactorSetup(v) {
		back := r.URL.RequestURI()
		if r.Method != http.MethodGet {
			back = backTo(r, "/newsroom")
		}
		http.Redirect(w, r, "/me/2fa?next="+url.QueryEscape(back), http.StatusSeeOther)
		return v, false, nil
	}
	return v, true, nil
}

// roleNames are the roles as the newsroom shows them.
var roleNames = map[string]string{
	news.RoleReader:    "독자",
	news.RoleModerator: "댓글 관리자",
	news.RoleReporter:  "기자",
	news.RoleEditor:    "데스크",
	news.RoleAdmin:     "관리자",
}

// stateNames are the article states as the newsroom shows them.
var stateNames = map[string]string{
	news.StateDraft:       "작성 중",
	news.StateSubmitted:   "출고",
	news.StateScheduled:   "예약",
	news.StatePublished:   "발행",
	news.StateUnpublished: "내림",
}

var actionNames = map[string]string{
	news.ActionCreate:    "작성",
	news.ActionSave:      "저장",
	news.ActionSubmit:    "출고",
	news.ActionPublish:   "발행",
	news.ActionSchedule:  "예약",
	news.ActionReturn:    "반려",
	news.ActionUnpublish: "내림",
}
