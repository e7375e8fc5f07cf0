package web

// The front page: the desk places stories in its slots and keeps the labels
// and reporters, on a page with forms and through the API.

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"jikji/internal/news"
)

type frontJSON struct {
	Top      []int64            `json:"top"`
	Sections map[string][]int64 `json:"sections"`
}

func (s *Server) apiFront(r *http.Request, _ news.Account, _ int64, _ none) (frontJSON, error) {
	picks, err := s.Svc.FrontPicks(r.Context())
	if err != nil {
		return frontJSON{}, err
	}
	sections, err := s.Svc.Sections(r.Context())
	if err != nil {
		return frontJSON{}, err
	}
	out := frontJSON{Top: picks[news.FrontTop], Sections: map[string][]int64{}}
	if out.Top == nil {
		out.Top = []int64{}
	}
	for _, sec := range sections {
		ids := picks[sec.ID]
		if ids == nil {
			ids = []int64{}
		}
		out.Sections[sec.Slug] = ids
	}
	return out, nil
}

// frontSlot resolves "top" or a section slug to a slot.
func (s *Server) frontSlot(r *http.Request, name string) (int64, error) {
	if name == "top" {
		return news.FrontTop, nil
	}
	sec, err := s.Svc.Section(r.Context(), name)
	if news.IsNotFound(err) {
		return 0, news.Errorf(news.EINVALID, "없는 섹션입니다: %s", name)
	}
	return sec.ID, err
}

type frontInput struct {
	Articles []int64 `json:"articles"`
}

func (s *Server) apiSetFront(r *http.Request, v news.Account, _ int64, in frontInput) (frontJSON, error) {
	slot, err := s.frontSlot(r, r.PathValue("slot"))
	if err != nil {
		return frontJSON{}, err
	}
	if err := s.Svc.SetFrontPicks(r.Context(), v, slot, in.Articles); err != nil {
		return frontJSON{}, err
	}
	return s.apiFront(r, v, 0, none{})
}

type frontSlotView struct {
	Slot  string // "top" or a section slug
	Name  string
	IDs   string
	Picks []news.Article
}

type frontView struct {
	Slots     []frontSlotView
	Recent    []news.Article
	Labels    []news.Label
	Reporters []news.Reporter
}

func (s *Server) frontPage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	ctx := r.Context()
	picks, err := s.Svc.FrontPicks(ctx)
	if err != nil {
		return err
	}
	sections, err := s.Svc.Sections(ctx)
	if err != nil {
		return err
	}
	var fv frontView
	slot := func(key, name string, ids []int64) error {
		sv := frontSlotView{Slot: key, Name: name}
		var parts []string
		for _, id := range ids {
			parts = append(parts, strconv.FormatInt(id, 10))
			a, err := s.Svc.DeskCopy(ctx, v, id)
			if err != nil && !news.IsNotFound(err) {
				return err
			}
			if err == nil {
				sv.Picks = append(sv.Picks, a)
			}
		}
		sv.IDs = strings.Join(parts, ", ")
		fv.Slots = append(fv.Slots, sv)
		return nil
	}
	if err := slot("top", "주요 뉴스", picks[news.FrontTop]); err != nil {
		return err
	}
	for _, sec := range sections {
		if err := slot(sec.Slug, sec.Name+" 머리기사", picks[sec.ID]); err != nil {
			return err
		}
	}
	if fv.Recent, _, err = s.Svc.Articles(ctx, news.ArticleFilter{Limit: 30}); err != nil {
		return err
	}
	if fv.Labels, err = s.Svc.Labels(ctx); err != nil {
		return err
	}
	if fv.Reporters, err = s.Svc.Reporters(ctx); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "newsroom_front", "1면 편집", fv)
}

// frontForm places articles, by number, in a slot of the front page.
type frontForm struct {
	Slot string
	IDs  []int64
}

func (f *frontForm) parseForm(v url.Values) error {
	f.Slot = v.Get("slot")
	for _, field := range strings.FieldsFunc(v.Get("ids"), func(c rune) bool { return c == ',' || c == ' ' || c == '\n' || c == '\r' }) {
		id, err := strconv.ParseInt(field, 10, 64)
		if err != nil || id <= 0 {
			return news.Errorf(news.EINVALID, "기사 번호는 숫자로, 쉼표로 나눠 입력해주세요: %s", field)
		}
		f.IDs = append(f.IDs, id)
	}
	return nil
}

func (s *Server) frontSubmit(r *http.Request, v news.Account, _ int64, in frontForm) (done, error) {
	slot, err := s.frontSlot(r, in.Slot)
	if err != nil {
		return done{}, err
	}
	return done{Notice: "1면 배치를 저장했습니다."}, s.Svc.SetFrontPicks(r.Context(), v, slot, in.IDs)
}

type labelForm struct {
	Code string `form:"code"`
	Name string `form:"name"`
}

func (s *Server) labelSubmit(r *http.Request, v news.Account, _ int64, in labelForm) (done, error) {
	return done{Notice: "라벨을 추가했습니다."}, s.Svc.CreateLabel(r.Context(), v, news.Label{Code: in.Code, Name: in.Name})
}

type reporterForm struct{ news.Reporter }

func (f *reporterForm) parseForm(v url.Values) error {
	f.Name, f.Role, f.Email = v.Get("name"), v.Get("role"), strings.TrimSpace(v.Get("email"))
	return nil
}

func (s *Server) reporterSubmit(r *http.Request, v news.Account, _ int64, in reporterForm) (done, error) {
	return done{Notice: "기자를 추가했습니다."}, s.Svc.CreateReporter(r.Context(), v, &in.Reporter)
}
