package web

import (
	"fmt"
	"net/http"

	"jikji/internal/news"
)

// Accounts: sign-up, login, logout, the reader's own page and its deletion,
// and a commenter's public profile, as pages and as the API.

type authForm struct {
	Next        string
	Email       string
	DisplayName string
	Error       string
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if viewer(r).ID != 0 {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "login", "로그인", authForm{Next: next})
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	email, password, next := r.PostFormValue("email"), r.PostFormValue("password"), safeNext(r.PostFormValue("next"))
	a, err := s.checkLogin(w, r, email, password)
	if err != nil {
		if news.ErrorCode(err) == news.EINTERNAL {
			return err
		}
		return s.render(w, r, httpStatus(err), "login", "로그인", authForm{Next: next, Email: email, Error: news.ErrorMessage(err)})
	}
	return s.completeLogin(w, r, a, next)
}

// checkLogin throttles per IP and per account before checking a password.
func (s *Server) checkLogin(w http.ResponseWriter, r *http.Request, email, password string) (news.Account, error) {
	if err := s.limited(w, s.loginByIP, s.clientIP(r)); err != nil {
		return news.Account{}, err
	}
	// Counted per account, however the address is spelled.
	account := news.NormalizeEmail(email)
	if err := s.limited(w, s.loginByAccount, account); err != nil {
		return news.Account{}, err
	}
	a, err := s.Svc.Login(r.Context(), email, password)
	if err == nil {
		s.loginByAccount.reset(account)
	}
	return a, err
}

func (s *Server) signupPage(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "signup", "회원가입", authForm{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) signupSubmit(w http.ResponseWriter, r *http.Request) error {
	f := authForm{Next: safeNext(r.PostFormValue("next")), Email: r.PostFormValue("email"), DisplayName: r.PostFormValue("display_name")}
	a, err := s.signup(w, r, f.Email, r.PostFormValue("password"), f.DisplayName)
	if err != nil {
		if news.ErrorCode(err) == news.EINTERNAL {
			return err
		}
		f.Error = news.ErrorMessage(err)
		return s.render(w, r, httpStatus(err), "signup", "회원가입", f)
	}
	if err := s.login(w, r, a); err != nil {
		return err
	}
	s.setFlash(w, r, flash{Message: a.DisplayName + "님, 가입을 환영합니다."})
	http.Redirect(w, r, f.Next, http.StatusSeeOther)
	return nil
}

func (s *Server) signup(w http.ResponseWriter, r *http.Request, email, password, name string) (news.Account, error) {
	if err := s.limited(w, s.signupByIP, s.clientIP(r)); err != nil {
		return news.Account{}, err
	}
	return s.Svc.SignUp(r.Context(), email, password, name)
}

func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Svc.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearSession(w, r)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

func (s *Server) mePage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	view, err := s.meView(r, v)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "me", "내 정보", view)
}

func (s *Server) deleteAccountSubmit(w http.ResponseWriter, r *http.Request, v news.Account) error {
	if err := s.Svc.DeleteAccount(r.Context(), v, r.PostFormValue("password")); err != nil {
		if news.ErrorCode(err) == news.EINTERNAL {
			return err
		}
		s.setFlash(w, r, flash{Message: news.ErrorMessage(err), Error: true})
		http.Redirect(w, r, "/me", http.StatusSeeOther)
		return nil
	}
	s.clearSession(w, r)
	s.setFlash(w, r, flash{Message: "탈퇴가 완료되었습니다. 그동안 이용해주셔서 감사합니다."})
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// profile is the commenter of the path's {id}, from the comment the cursor
// names on.
func (s *Server) profile(r *http.Request) (news.Profile, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return news.Profile{}, err
	}
	after, err := decodeCommentCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return news.Profile{}, err
	}
	return s.Svc.PublicProfile(r.Context(), id, after)
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.profile(r)
	if err != nil {
		return err
	}
	id := p.Account.ID
	next := ""
	if p.Next != nil {
		next = fmt.Sprintf("/users/%d?cursor=%s", id, encodeCommentCursor(p.Next))
	}
	return s.render(w, r, http.StatusOK, "user", p.Account.DisplayName, struct {
		news.Profile
		NextURL string
	}{p, next})
}

type accountJSON struct {
	ID          int64  `json:"id"`
	Email       string `json:"email,omitempty"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	CreatedAt   string `json:"created_at"`
}

func meJSON(a news.Account) accountJSON {
	return accountJSON{ID: a.ID, Email: a.Email, DisplayName: a.DisplayName, Role: a.Role, CreatedAt: news.RFC3339KST(a.CreatedAt)}
}

func (s *Server) apiSignup(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email       string `json:"email"`
		Password    string `json:"password"`
		DisplayName string `json:"display_name"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	a, err := s.signup(w, r, in.Email, in.Password, in.DisplayName)
	if err != nil {
		return err
	}
	if err := s.login(w, r, a); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, meJSON(a))
	return nil
}

func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
		OTP      string `json:"otp"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	a, err := s.checkLogin(w, r, in.Email, in.Password)
	if err != nil {
		return err
	}
	if err := s.checkOTP(w, r, a, in.OTP); err != nil {
		return err
	}
	if err := s.login(w, r, a); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, meJSON(a))
	return nil
}

func (s *Server) apiLogout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Svc.Logout(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearSession(w, r)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiMe(_ *http.Request, v news.Account, _ int64, _ none) (accountJSON, error) {
	return meJSON(v), nil
}

func (s *Server) apiDeleteMe(w http.ResponseWriter, r *http.Request) error {
	v, err := s.callerFor(r, reader, false)
	if err != nil {
		return err
	}
	var in struct {
		Password string `json:"password"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.Svc.DeleteAccount(r.Context(), v, in.Password); err != nil {
		return err
	}
	s.clearSession(w, r)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiUser(w http.ResponseWriter, r *http.Request) error {
	p, err := s.profile(r)
	if err != nil {
		return err
	}
	out := struct {
		ID            int64         `json:"id"`
		DisplayName   string        `json:"display_name"`
		Comments      []commentJSON `json:"comments"`
		CommentsCount int64         `json:"comments_written"`
		LikesReceived int64         `json:"likes_received"`
		Next          string        `json:"next"`
	}{ID: p.Account.ID, DisplayName: p.Account.DisplayName, Comments: []commentJSON{},
		CommentsCount: p.Stats.Comments, LikesReceived: p.Stats.LikesReceived, Next: encodeCommentCursor(p.Next)}
	for _, c := range p.Comments {
		out.Comments = append(out.Comments, toCommentJSON(c))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
