package web

import (
	"net/http"
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
		return v, nil
	}
	return news.Account{}, news.ErrLoginRequired()
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
