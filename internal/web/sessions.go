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

// apiEndSession ends one session; its id is 60 bits of the token's hash.
func (s *Server) apiEndSession(r *http.Request, v news.Account, id int64, _ none) (none, error) {
	return none{}, s.Svc.EndSession(r.Context(), v, id)
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

func (s *Server) sessionsPage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	list, err := s.Svc.Sessions(r.Context(), v, sessionToken(r))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "sessions", "로그인한 기기", sessionsView{Sessions: list})
}

func (s *Server) endSessionSubmit(r *http.Request, v news.Account, id int64, _ none) (done, error) {
	if err := s.Svc.EndSession(r.Context(), v, id); err != nil {
		return done{}, err
	}
	return done{Notice: "선택한 기기에서 로그아웃했습니다."}, nil
}

func (s *Server) endOtherSessionsSubmit(r *http.Request, v news.Account, _ int64, _ none) (done, error) {
	n, err := s.Svc.EndOtherSessions(r.Context(), v, sessionToken(r))
	if err != nil {
		return done{}, err
	}
	return done{Notice: "다른 기기 " + strconv.FormatInt(n, 10) + "곳에서 로그아웃했습니다."}, nil
}

func (s *Server) endStaffSessionsSubmit(r *http.Request, v news.Account, id int64, _ none) (done, error) {
	n, err := s.Svc.EndStaffSessions(r.Context(), v, id)
	if err != nil {
		return done{}, err
	}
	return done{Notice: "세션 " + strconv.FormatInt(n, 10) + "개를 종료했습니다."}, nil
}
