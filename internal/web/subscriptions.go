package web

import (
	"fmt"
	"net/http"

	"jikji/internal/josa"
	"jikji/internal/news"
)

// Subscriptions to reporters and sections, and the feed of what they
// publish, as forms, pages and the API.

func reporterBack(r *http.Request, id int64) string {
	return backTo(r, fmt.Sprintf("/reporters/%d", id))
}

func sectionBack(r *http.Request, _ int64) string { return backTo(r, "/sections/"+r.PathValue("slug")) }

func (s *Server) reporterSubscribeSubmit(r *http.Request, v news.Account, id int64, in kindForm) (done, error) {
	rep, err := s.Svc.Reporter(r.Context(), id)
	if err != nil {
		return done{}, err
	}
	return done{Notice: subscribeNotice(rep.Name+" "+rep.Role, in.On)}, s.Svc.Subscribe(r.Context(), v, news.TargetReporter, id, in.On)
}

func (s *Server) sectionSubscribeSubmit(r *http.Request, v news.Account, _ int64, in kindForm) (done, error) {
	sec, err := s.Svc.Section(r.Context(), r.PathValue("slug"))
	if err != nil {
		return done{}, err
	}
	return done{Notice: subscribeNotice(sec.Name+" 섹션", in.On)}, s.Svc.Subscribe(r.Context(), v, news.TargetSection, sec.ID, in.On)
}

func subscribeNotice(name string, on bool) string {
	if on {
		return josa.EulReul.After(name) + " 구독합니다."
	}
	return name + " 구독을 취소했습니다."
}

// subscriptionJSON answers a change of subscription.
type subscriptionJSON struct {
	Subscribed  bool  `json:"subscribed"`
	Subscribers int64 `json:"subscribers"`
}

func (s *Server) subscribe(r *http.Request, v news.Account, kind string, id int64, on bool) (subscriptionJSON, error) {
	if err := s.Svc.Subscribe(r.Context(), v, kind, id, on); err != nil {
		return subscriptionJSON{}, err
	}
	n, err := s.Svc.SubscriberCount(r.Context(), kind, id)
	return subscriptionJSON{Subscribed: on, Subscribers: n}, err
}

func (s *Server) apiReporterSubscription(on bool) action[none, subscriptionJSON] {
	return func(r *http.Request, v news.Account, id int64, _ none) (subscriptionJSON, error) {
		if _, err := s.Svc.Reporter(r.Context(), id); err != nil {
			return subscriptionJSON{}, err
		}
		return s.subscribe(r, v, news.TargetReporter, id, on)
	}
}

func (s *Server) apiSectionSubscription(on bool) action[none, subscriptionJSON] {
	return func(r *http.Request, v news.Account, _ int64, _ none) (subscriptionJSON, error) {
		sec, err := s.Svc.Section(r.Context(), r.PathValue("slug"))
		if err != nil {
			return subscriptionJSON{}, err
		}
		return s.subscribe(r, v, news.TargetSection, sec.ID, on)
	}
}

type feedJSON struct {
	Articles []articleSummaryJSON `json:"articles"`
	Next     string               `json:"next"`
}

func (s *Server) apiFeed(r *http.Request, v news.Account, _ int64, in pageQuery) (feedJSON, error) {
	list, next, err := s.Svc.Feed(r.Context(), v, in.Before, in.Limit)
	return feedJSON{Articles: jsonList(list, s.summary), Next: encodeCursor(next)}, err
}

func (s *Server) feedPage(w http.ResponseWriter, r *http.Request, v news.Account) error {
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
