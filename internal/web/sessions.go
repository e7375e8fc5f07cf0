package web

import (
	"net/http"
	"strconv"

	"jikji/internal/news"
)

type sessionJSON struct {
	ID         int64  `json:"id"`
	Current    bool   `json:"current"`
	UserAgent  string `json:"user_agent"`
	Device     string `json:"device"`
	LastSeenAt string `json:"last_seen_at"`
}

type sessionsJSON struct {
	Sessions []sessionJSON `json:"sessions"`
}

func (s *Server) apiSessions(r *http.Request, v news.Account, _ int64, _ none) (sessionsJSON, error) {
	list, err := s.Svc.Sessions(r.Context(), v, sessionToken(r))
	if err != nil {
		return sessionsJSON{}, err
	}
	out := sessionsJSON{Sessions: make([]sessionJSON, len(list))}
	for i, sess := range list {
		out.Sessions[i] = sessionJSON{ID: sess.ID, Current: sess.Current, UserAgent: sess.UserAgent, Device: sess.Device,
			LastSeenAt: news.RFC3339KST(sess.LastSeenAt)}
	}
	return out, nil
}

// apiEndSession ends one session; a session id is 60 bits of a hash, so
// it is parsed here rather than as a path {id}.
func (s *Server) apiEndSession(w http.ResponseWriter, r *http.Request) error {
	v, err := apiViewer(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return errNotFound
	}
	if err := s.Svc.EndSession(r.Context(), v, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type endedJSON struct {
	Ended int64 `json:"ended"`
}

func (s *Server) apiEndOtherSessions(r *http.Request, v news.Account, _ int64, _ none) (endedJSON, error) {
	n, err := s.Svc.EndOtherSessions(r.Context(), v, sessionToken(r))
	return endedJSON{Ended: n}, err
}

func (s *Server) apiEndStaffSessions(r *http.Request, v news.Account, id int64, _ none) (endedJSON, error) {
	n, err := s.Svc.EndStaffSessions(r.Context(), v, id)
	return endedJSON{Ended: n}, err
}

type sessionsView struct {
	Sessions []news.SessionView
}

func (s *Server) sessionsPage(w http.ResponseWriter, r *http.Request) error {
	v, ok := s.requireViewer(w, r, "/me/sessions")
	if !ok {
		return nil
	}
	list, err := s.Svc.Sessions(r.Context(), v, sessionToken(r))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "sessions", "로그인한 기기", sessionsView{Sessions: list})
}

func (s *Server) endSessionSubmit(w http.ResponseWriter, r *http.Request) error {
	v, ok := s.requireViewer(w, r, "/me/sessions")
	if !ok {
		return nil
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return errNotFound
	}
	if err := s.Svc.EndSession(r.Context(), v, id); err != nil {
		return err
	}
	s.setFlash(w, r, flash{Message: "선택한 기기에서 로그아웃했습니다."})
	http.Redirect(w, r, "/me/sessions", http.StatusSeeOther)
	return nil
}

func (s *Server) endOtherSessionsSubmit(w http.ResponseWriter, r *http.Request) error {
	v, ok := s.requireViewer(w, r, "/me/sessions")
	if !ok {
		return nil
	}
	n, err := s.Svc.EndOtherSessions(r.Context(), v, sessionToken(r))
	if err != nil {
		return err
	}
	s.setFlash(w, r, flash{Message: "다른 기기 " + strconv.FormatInt(n, 10) + "곳에서 로그아웃했습니다."})
	http.Redirect(w, r, "/me/sessions", http.StatusSeeOther)
	return nil
}

func (s *Server) endStaffSessionsSubmit(w http.ResponseWriter, r *http.Request) error {
	v, ok, err := s.pageStaff(w, r, news.CanAdminister)
	if !ok {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.Svc.EndStaffSessions(r.Context(), v, id)
	if err != nil {
		return err
	}
	s.setFlash(w, r, flash{Message: "세션 " + strconv.FormatInt(n, 10) + "개를 종료했습니다."})
	http.Redirect(w, r, "/newsroom/staff", http.StatusSeeOther)
	return nil
}
