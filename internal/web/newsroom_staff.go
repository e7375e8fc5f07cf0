package web

import (
	"encoding/json"
	"fmt"
	"net/http"

	"jikji/internal/josa"
	"jikji/internal/news"
)

// Staff, roles and personal API tokens: the admins' page, forms and API.

// articleInput is what POST and PATCH take; absent fields stay as they are.
type articleInput struct {
	Headline       *string           `json:"headline"`
	Section        *string           `json:"section"` // slug
	Body           *string           `json:"body"`
	Deck           *[]string         `json:"deck"`
	Labels         []json.RawMessage `json:"labels"` // codes, or {"code": …} objects
	Bylines        *[]news.Byline    `json:"bylines"`
	Print          json.RawMessage   `json:"print"`
	SourceNotice   json.RawMessage   `json:"source_notice"`
	CommentsOpen   *bool             `json:"comments_open"`
	CorrectionNote *string           `json:"correction_note"`
}

type staffJSON struct {
	ID          int64  `json:"id"`
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
}

func (s *Server) apiStaffList(r *http.Request, v news.Account, _ int64, _ none) (map[string]any, error) {
	list, err := s.Svc.StaffAccounts(r.Context(), v)
	return unpaged("staff", list, toStaffJSON), err
}

func toStaffJSON(a news.Account) staffJSON {
	return staffJSON{ID: a.ID, Email: a.Email, DisplayName: a.DisplayName, Role: a.Role}
}

type roleInput struct{ Email, Role string }

func (s *Server) apiSetRole(r *http.Request, v news.Account, _ int64, in roleInput) (staffJSON, error) {
	a, err := s.Svc.SetRole(r.Context(), v, in.Email, in.Role)
	return toStaffJSON(a), err
}

type tokenJSON struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	AccountID int64   `json:"account_id"`
	Email     string  `json:"email"`
	CreatedAt string  `json:"created_at"`
	RevokedAt *string `json:"revoked_at"`
	// Token is shown once, when issued.
	Token string `json:"token,omitempty"`
}

func tokenOut(t news.APIToken) tokenJSON {
	out := tokenJSON{ID: t.ID, Name: t.Name, AccountID: t.AccountID, Email: t.AccountEmail, CreatedAt: news.RFC3339KST(t.CreatedAt)}
	if !t.RevokedAt.IsZero() {
		r := news.RFC3339KST(t.RevokedAt)
		out.RevokedAt = &r
	}
	return out
}

func (s *Server) apiTokens(r *http.Request, v news.Account, _ int64, _ none) (map[string]any, error) {
	list, err := s.Svc.APITokens(r.Context(), v)
	return unpaged("tokens", list, tokenOut), err
}

type tokenInput struct{ Email, Name string }

func (s *Server) apiIssueToken(r *http.Request, v news.Account, _ int64, in tokenInput) (tokenJSON, error) {
	t, token, err := s.Svc.IssueAPIToken(r.Context(), v, in.Email, in.Name)
	out := tokenOut(t)
	out.Token = token
	return out, err
}

func (s *Server) apiRevokeToken(r *http.Request, v news.Account, id int64, _ none) (none, error) {
	return none{}, s.Svc.RevokeAPIToken(r.Context(), v, id)
}

// roleNames are the roles as the newsroom shows them.
var roleNames = map[string]string{
	news.RoleReader:    "독자",
	news.RoleModerator: "댓글 관리자",
	news.RoleReporter:  "기자",
	news.RoleEditor:    "데스크",
	news.RoleAdmin:     "관리자",
}

type staffRow struct {
	news.Account
	RoleName string
}

type staffView struct {
	Staff    []staffRow
	Tokens   []news.APIToken
	Roles    []stateTab
	NewToken string
	Viewer   news.Account
}

func (s *Server) staffPage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	return s.renderStaff(w, r, v, "")
}

func (s *Server) renderStaff(w http.ResponseWriter, r *http.Request, v news.Account, newToken string) error {
	staff, err := s.Svc.StaffAccounts(r.Context(), v)
	if err != nil {
		return err
	}
	tokens, err := s.Svc.APITokens(r.Context(), v)
	if err != nil {
		return err
	}
	sv := staffView{Tokens: tokens, NewToken: newToken, Viewer: v}
	for _, a := range staff {
		sv.Staff = append(sv.Staff, staffRow{Account: a, RoleName: roleNames[a.Role]})
	}
	for _, role := range []string{news.RoleReader, news.RoleModerator, news.RoleReporter, news.RoleEditor, news.RoleAdmin} {
		sv.Roles = append(sv.Roles, stateTab{Code: role, Name: roleNames[role]})
	}
	return s.render(w, r, http.StatusOK, "newsroom_staff", "직원과 API 토큰", sv)
}

type roleForm struct {
	Email string `form:"email"`
	Role  string `form:"role"`
}

func (s *Server) roleSubmit(r *http.Request, v news.Account, _ int64, in roleForm) (done, error) {
	a, err := s.Svc.SetRole(r.Context(), v, in.Email, in.Role)
	return done{Notice: fmt.Sprintf("%s님의 역할을 %s 바꿨습니다.", a.DisplayName, josa.EuroRo.After(roleNames[a.Role]))}, err
}

func (s *Server) tokenSubmit(w http.ResponseWriter, r *http.Request, v news.Account) error {
	_, token, err := s.Svc.IssueAPIToken(r.Context(), v, r.PostFormValue("email"), r.PostFormValue("name"))
	if err != nil {
		return s.refuseForm(w, r, "/newsroom/staff", done{}, err)
	}
	// The token is shown once, in this response, and never stored.
	return s.renderStaff(w, r, v, token)
}

func (s *Server) revokeTokenSubmit(r *http.Request, v news.Account, id int64, _ none) (done, error) {
	return done{Notice: "토큰을 폐기했습니다."}, s.Svc.RevokeAPIToken(r.Context(), v, id)
}
