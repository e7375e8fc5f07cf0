package web

import (
	"net/http"

	"jikji/internal/news"
)

type notificationsView struct {
	news.NotificationPrefs
	Notice string
}

func (s *Server) notificationsPage(w http.ResponseWriter, r *http.Request) error {
	v, ok := s.requireViewer(w, r, "/me/notifications")
	if !ok {
		return nil
	}
	p, err := s.Svc.NotificationPrefs(r.Context(), v)
	if err != nil {
		return err
	}
	notice, err := s.Svc.MailNotice(r.Context(), v)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return s.render(w, r, http.StatusOK, "notifications", "알림 설정", notificationsView{NotificationPrefs: p, Notice: notice})
}

func (s *Server) notificationsSubmit(w http.ResponseWriter, r *http.Request) error {
	v, ok := s.requireViewer(w, r, "/me/notifications")
	if !ok {
		return nil
	}
	in := news.NotificationPrefs{
		Replies:    r.PostFormValue("replies") == "1",
		Follows:    r.PostFormValue("follows"),
		DigestTime: r.PostFormValue("digest_time"),
		Newsletter: r.PostFormValue("newsletter") == "1",
	}
	return s.afterMeForm(w, r, "알림 설정을 저장했습니다.", func() error {
		_, err := s.Svc.SetNotificationPrefs(r.Context(), v, in)
		return err
	})
}

func (s *Server) changeEmailSubmit(w http.ResponseWriter, r *http.Request) error {
	v, ok := s.requireViewer(w, r, "/me/notifications")
	if !ok {
		return nil
	}
	email := r.PostFormValue("email")
	return s.afterMeForm(w, r, "새 주소로 확인 메일을 보냈습니다. 메일의 버튼을 누르면 주소가 바뀝니다.", func() error {
		return s.Svc.ChangeEmail(r.Context(), v, email, r.PostFormValue("password"))
	})
}

func (s *Server) resendConfirmationSubmit(w http.ResponseWriter, r *http.Request) error {
	v, ok := s.requireViewer(w, r, "/me/notifications")
	if !ok {
		return nil
	}
	return s.afterMeForm(w, r, v.Email+" 주소로 확인 메일을 다시 보냈습니다.", func() error {
		return s.Svc.ResendConfirmation(r.Context(), v)
	})
}

// afterMeForm runs a form's action and goes back to /me/notifications with
// its outcome as the notice.
func (s *Server) afterMeForm(w http.ResponseWriter, r *http.Request, done string, do func() error) error {
	if err := do(); err != nil {
		if news.ErrorCode(err) == news.EINTERNAL {
			return err
		}
		s.setFlash(w, r, flash{Message: news.ErrorMessage(err), Error: true})
	} else {
		s.setFlash(w, r, flash{Message: done})
	}
	http.Redirect(w, r, "/me/notifications", http.StatusSeeOther)
	return nil
}

func (s *Server) apiNotifications(r *http.Request, v news.Account, _ int64, _ none) (news.NotificationPrefs, error) {
	return s.Svc.NotificationPrefs(r.Context(), v)
}

func (s *Server) apiSetNotifications(r *http.Request, v news.Account, _ int64, in news.NotificationPrefs) (news.NotificationPrefs, error) {
	return s.Svc.SetNotificationPrefs(r.Context(), v, in)
}

type changeEmailInput struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *Server) apiChangeEmail(r *http.Request, v news.Account, _ int64, in changeEmailInput) (map[string]string, error) {
	if err := s.Svc.ChangeEmail(r.Context(), v, in.Email, in.Password); err != nil {
		return nil, err
	}
	return map[string]string{"message": "새 주소로 확인 메일을 보냈습니다."}, nil
}
