package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"jikji/internal/news"
)

// requireViewer returns the logged-in account, or sends an anonymous
// visitor to the login page, to come back to back afterwards.
func (s *Server) requireViewer(w http.ResponseWriter, r *http.Request, back string) (news.Account, bool) {
	v := viewer(r)
	if v.ID == 0 {
		http.Redirect(w, r, loginURL(back), http.StatusSeeOther)
		return v, false
	}
	return v, true
}

// limited refuses an event over its limit with 429 and Retry-After.
func (s *Server) limited(w http.ResponseWriter, l *limiter, key string) error {
	if !s.RateLimit {
		return nil
	}
	if ok, wait := l.allow(key); !ok {
		secs := int(wait/time.Second) + 1
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		return news.Errorf(news.ERATELIMITED, "요청이 너무 많습니다. %d초 후에 다시 시도해주세요.", secs)
	}
	return nil
}

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

func (s *Server) mePage(w http.ResponseWriter, r *http.Request) error {
	v, ok := s.requireViewer(w, r, "/me")
	if !ok {
		return nil
	}
	view, err := s.meView(r, v)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "me", "내 정보", view)
}

func (s *Server) deleteAccountSubmit(w http.ResponseWriter, r *http.Request) error {
	v, ok := s.requireViewer(w, r, "/me")
	if !ok {
		return nil
	}
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

func (s *Server) savedPage(w http.ResponseWriter, r *http.Request) error {
	v, ok := s.requireViewer(w, r, r.URL.RequestURI())
	if !ok {
		return nil
	}
	before, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	marks, next, err := s.Svc.SavedArticles(r.Context(), v, before, 20)
	if err != nil {
		return err
	}
	list := make([]news.Article, len(marks))
	for i, b := range marks {
		list[i] = b.Article
	}
	return s.render(w, r, http.StatusOK, "list", "저장한 기사", listView{Heading: "저장한 기사", Articles: list, Next: nextLink(r, next),
		Empty: "저장한 기사가 없습니다. 기사 아래의 저장 버튼으로 나중에 읽을 기사를 모아 보세요."})
}

func (s *Server) feedPage(w http.ResponseWriter, r *http.Request) error {
	v, ok := s.requireViewer(w, r, r.URL.RequestURI())
	if !ok {
		return nil
	}
	before, err := decodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	list, next, err := s.Svc.Feed(r.Context(), v, before, 20)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "list", "구독", listView{Heading: "구독한 기자·섹션의 새 기사", Articles: list, Next: nextLink(r, next),
		Empty: "구독한 기자나 섹션이 없습니다. 기사에서 기자 이름 옆의 구독 버튼을 눌러 보세요."})
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	after, err := decodeCommentCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		return err
	}
	p, err := s.Svc.PublicProfile(r.Context(), id, after)
	if err != nil {
		return err
	}
	next := ""
	if p.Next != nil {
		next = fmt.Sprintf("/users/%d?cursor=%s", id, encodeCommentCursor(p.Next))
	}
	return s.render(w, r, http.StatusOK, "user", p.Account.DisplayName, struct {
		news.Profile
		NextURL string
	}{p, next})
}
