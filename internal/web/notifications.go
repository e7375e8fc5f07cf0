package web

import (
	"net/http"

	"jikji/internal/news"
)

type notificationsView struct {
	news.NotificationPrefs
	Notice string
}

func (s *Server) notificationsPage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	p, err := s.Svc.NotificationPrefs(r.Context(), v)
	if err != nil {
		return err
	}
	notice, err := s.Svc.MailNotice(r.Context(), v)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "notifications", "알림 설정", notificationsView{NotificationPrefs: p, Notice: notice})
}

// notificationsForm is the switches of /me/notifications.
type notificationsForm struct {
	Replies    bool   `form:"replies"`
	Follows    string `form:"follows"`
	DigestTime string `form:"digest_time"`
	Newsletter bool   `form:"newsletter"`
}

func (s *Server) notificationsSubmit(r *http.Request, v news.Account, _ int64, in notificationsForm) (done, error) {
	_, err := s.Svc.SetNotificationPrefs(r.Context(), v, news.NotificationPrefs{
		Replies: in.Replies, Follows: in.Follows, DigestTime: in.DigestTime, Newsletter: in.Newsletter})
	return done{Notice: "알림 설정을 저장했습니다."}, err
}

// changeEmailForm asks for a new address, with the password.
type changeEmailForm struct {
	Email    string `form:"email"`
	Password string `form:"password"`
}

func (s *Server) changeEmailSubmit(r *http.Request, v news.Account, _ int64, in changeEmailForm) (done, error) {
	return done{Notice: "새 주소로 확인 메일을 보냈습니다. 메일의 버튼을 누르면 주소가 바뀝니다."},
		s.Svc.ChangeEmail(r.Context(), v, in.Email, in.Password)
}

func (s *Server) resendConfirmationSubmit(r *http.Request, v news.Account, _ int64, _ none) (done, error) {
	return done{Notice: v.Email + " 주소로 확인 메일을 다시 보냈습니다."}, s.Svc.ResendConfirmation(r.Context(), v)
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
