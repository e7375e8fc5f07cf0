package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"jikji/internal/josa"
	"jikji/internal/news"
)

// Moderation: readers report comments; moderators, editors and admins work
// the queue, sanction readers, keep the banned-word list, set comment
// modes, record 임시조치 and read the audit log, under /newsroom/moderation
// and /api/v1/newsroom/moderation.

var auditNames = map[string]string{
	news.AuditHide:          "숨김",
	news.AuditRestore:       "복원",
	news.AuditDelete:        "삭제",
	news.AuditApprove:       "승인",
	news.AuditDismiss:       "신고 기각",
	news.AuditSuspend:       "이용 정지",
	news.AuditBan:           "영구 정지",
	news.AuditLift:          "제재 해제",
	news.AuditBannedWords:   "금칙어 변경",
	news.AuditCommentMode:   "댓글 방식 변경",
	news.AuditTakedown:      "임시조치",
	news.AuditTakedownClose: "임시조치 결정",
}

var commentModeNames = map[string]string{
	news.CommentModeOpen:   "공개 (바로 게시)",
	news.CommentModePremod: "사전 검토 (승인 후 게시)",
	news.CommentModeClosed: "닫힘",
}

var takedownStateNames = map[string]string{
	news.TakedownActive:   "조치 중",
	news.TakedownRestored: "복원",
	news.TakedownRemoved:  "삭제 확정",
}

type moderationView struct {
	Viewer   news.Account
	Sort     string
	Items    []news.QueueItem
	Offset   int
	NextURL  string
	Reasons  []string
	Sanction []sanctionRow
}

type sanctionRow struct {
	news.Sanction
	Name string
}

func queueSort(v string) string {
	if v == news.QueueReports {
		return news.QueueReports
	}
	return news.QueueNewest
}

func parseOffset(v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 1_000_000 {
		return 0, news.Errorf(news.EINVALID, "offset은 0 이상의 숫자여야 합니다.")
	}
	return n, nil
}

func (s *Server) moderationPage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	offset, err := parseOffset(r.URL.Query().Get("offset"))
	if err != nil {
		return err
	}
	mv := moderationView{Viewer: v, Sort: queueSort(r.URL.Query().Get("sort")), Offset: offset}
	const page = 50
	if mv.Items, err = s.Svc.ModerationQueue(r.Context(), v, mv.Sort, offset, page); err != nil {
		return err
	}
	if len(mv.Items) == page {
		mv.NextURL = fmt.Sprintf("/newsroom/moderation?sort=%s&offset=%d", mv.Sort, offset+page)
	}
	return s.render(w, r, http.StatusOK, "newsroom_moderation", "댓글 관리", mv)
}

type moderateForm struct {
	Action string `form:"action"`
	Reason string `form:"reason"`
}

func (s *Server) moderateCommentSubmit(r *http.Request, v news.Account, id int64, in moderateForm) (done, error) {
	_, err := s.Svc.ModerateComment(r.Context(), v, id, in.Action, in.Reason)
	return done{Notice: "댓글 " + id2s(id) + ": " + auditNames[in.Action] + " 처리했습니다."}, err
}

func id2s(id int64) string { return strconv.FormatInt(id, 10) }

// sanctionDuration reads a suspension length from days and hours fields.
func sanctionDuration(days, hours string) (time.Duration, error) {
	var d time.Duration
	for _, f := range []struct {
		v    string
		unit time.Duration
	}{{days, 24 * time.Hour}, {hours, time.Hour}} {
		if f.v == "" {
			continue
		}
		n, err := strconv.Atoi(f.v)
		if err != nil || n < 0 || n > 3650 {
			return 0, news.Errorf(news.EINVALID, "정지 기간은 0 이상의 숫자여야 합니다.")
		}
		d += time.Duration(n) * f.unit
	}
	return d, nil
}

type sanctionForm struct {
	AccountID int64
	Duration  time.Duration
	Ban       bool
	Reason    string
}

func (f *sanctionForm) parseForm(v url.Values) error {
	id, err := strconv.ParseInt(v.Get("account_id"), 10, 64)
	if err != nil || id <= 0 {
		return news.Errorf(news.EINVALID, "회원 번호를 확인해주세요.")
	}
	f.AccountID, f.Ban, f.Reason = id, v.Get("ban") == "1", v.Get("reason")
	f.Duration, err = sanctionDuration(v.Get("days"), v.Get("hours"))
	return err
}

func (s *Server) sanctionSubmit(r *http.Request, v news.Account, _ int64, in sanctionForm) (done, error) {
	sn, err := s.Svc.SuspendReader(r.Context(), v, in.AccountID, in.Duration, in.Ban, in.Reason)
	who := fmt.Sprintf("회원 %d", in.AccountID)
	switch {
	case sn.Ban:
		return done{Notice: josa.EulReul.After(who) + " 영구 정지했습니다."}, err
	case !sn.Until.IsZero():
		return done{Notice: fmt.Sprintf("%s %s까지 정지했습니다.", josa.EulReul.After(who), news.FormatKST(sn.Until))}, err
	}
	return done{Notice: who + "의 제재를 해제했습니다."}, err
}

type toolsView struct {
	Viewer    news.Account
	Words     string
	Sanctions []sanctionRow
	Takedowns []takedownRow
	Modes     []stateTab
	MaxDays   int
}

type takedownRow struct {
	news.Takedown
	StateName string
	Link      string
}

func (s *Server) moderationToolsPage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	ctx := r.Context()
	mt, err := s.Svc.ModerationTools(ctx, v)
	if err != nil {
		return err
	}
	tv := toolsView{Viewer: v, MaxDays: news.MaxTakedownDays, Words: strings.Join(mt.Words, "\n")}
	for _, sn := range mt.Sanctions {
		tv.Sanctions = append(tv.Sanctions, sanctionRow{Sanction: sn.Sanction, Name: sn.Name})
	}
	for _, t := range mt.Takedowns {
		row := takedownRow{Takedown: t.Takedown, StateName: takedownStateNames[t.State]}
		switch {
		case t.CommentID != 0:
			row.Link = fmt.Sprintf("%s#comment-%d", articlePath(t.ArticleID), t.CommentID)
		case t.ArticleID != 0:
			row.Link = articlePath(t.ArticleID)
		}
		tv.Takedowns = append(tv.Takedowns, row)
	}
	for _, m := range []string{news.CommentModeOpen, news.CommentModePremod, news.CommentModeClosed} {
		tv.Modes = append(tv.Modes, stateTab{Code: m, Name: commentModeNames[m]})
	}
	return s.render(w, r, http.StatusOK, "newsroom_moderation_tools", "금칙어·제재·임시조치", tv)
}

// splitWords reads a word list typed one per line (commas also separate).
func splitWords(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' })
}

type wordsForm struct {
	Words  string `form:"words"`
	Reason string `form:"reason"`
}

func (s *Server) bannedWordsSubmit(r *http.Request, v news.Account, _ int64, in wordsForm) (done, error) {
	words, err := s.Svc.SetBannedWords(r.Context(), v, splitWords(in.Words), in.Reason)
	return done{Notice: fmt.Sprintf("금칙어 %d개를 저장했습니다.", len(words))}, err
}

type commentModeForm struct {
	ArticleID    int64
	Mode, Reason string
}

func (f *commentModeForm) parseForm(v url.Values) error {
	id, err := strconv.ParseInt(v.Get("article_id"), 10, 64)
	if err != nil || id <= 0 {
		return news.Errorf(news.EINVALID, "기사 번호를 확인해주세요.")
	}
	f.ArticleID, f.Mode, f.Reason = id, v.Get("mode"), v.Get("reason")
	return nil
}

func (s *Server) commentModeSubmit(r *http.Request, v news.Account, _ int64, in commentModeForm) (done, error) {
	err := s.Svc.SetCommentMode(r.Context(), v, in.ArticleID, in.Mode, in.Reason)
	return done{Notice: fmt.Sprintf("기사 %d의 댓글 방식을 %s 바꿨습니다.", in.ArticleID, josa.EuroRo.After("'"+commentModeNames[in.Mode]+"'"))}, err
}

type takedownForm struct {
	Kind            string
	TargetID        int64
	Claimant, Claim string
	Days            int
}

func (f *takedownForm) parseForm(v url.Values) error {
	id, perr := strconv.ParseInt(v.Get("target_id"), 10, 64)
	days, derr := strconv.Atoi(v.Get("days"))
	if perr != nil || id <= 0 || derr != nil {
		return news.Errorf(news.EINVALID, "대상 번호와 기간을 확인해주세요.")
	}
	f.Kind, f.TargetID, f.Days, f.Claimant, f.Claim = v.Get("kind"), id, days, v.Get("claimant"), v.Get("claim")
	if f.Kind != news.TargetArticle && f.Kind != news.TargetComment {
		return news.Errorf(news.EINVALID, "임시조치 대상은 기사나 댓글입니다.")
	}
	return nil
}

func (s *Server) takedownSubmit(r *http.Request, v news.Account, _ int64, in takedownForm) (done, error) {
	t, err := s.Svc.TakeDown(r.Context(), v, in.Kind, in.TargetID, in.Claimant, in.Claim, in.Days)
	return done{Notice: fmt.Sprintf("%s %s까지 시작했습니다.", josa.EulReul.After(fmt.Sprintf("임시조치 %d", t.ID)), news.FormatKST(t.Until))}, err
}

type decisionForm struct {
	Restore  bool   `form:"restore"`
	Decision string `form:"decision"`
}

func (s *Server) takedownDecideSubmit(r *http.Request, v news.Account, id int64, in decisionForm) (done, error) {
	t, err := s.Svc.DecideTakedown(r.Context(), v, id, in.Restore, in.Decision)
	return done{Notice: fmt.Sprintf("임시조치 %d: %s", id, takedownStateNames[t.State])}, err
}

type auditRow struct {
	news.AuditEntry
	ActionName string
	Link       string
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, v news.Account) error {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	entries, err := s.Svc.AuditLog(r.Context(), v, before, 50)
	if err != nil {
		return err
	}
	var rows []auditRow
	for _, e := range entries {
		row := auditRow{AuditEntry: e, ActionName: auditNames[e.Action]}
		if e.TargetKind == news.TargetArticle {
			row.Link = articlePath(e.TargetID)
		}
		rows = append(rows, row)
	}
	next := ""
	if len(entries) == 50 {
		next = fmt.Sprintf("/newsroom/moderation/audit?before=%d", entries[len(entries)-1].ID)
	}
	return s.render(w, r, http.StatusOK, "newsroom_moderation_audit", "조치 기록", struct {
		Rows []auditRow
		Next string
	}{rows, next})
}

// Readers report comments.

type reportForm struct {
	Reason string `form:"reason"`
	Detail string `form:"detail"`
}

func (s *Server) reportSubmit(r *http.Request, v news.Account, id int64, in reportForm) (done, error) {
	return done{Notice: "신고가 접수되었습니다. 운영 원칙에 따라 검토하겠습니다."}, s.Svc.ReportComment(r.Context(), v, id, in.Reason, in.Detail)
}

type reportInput struct {
	Reason string `json:"reason"`
	Detail string `json:"detail"`
}

func (s *Server) apiReport(r *http.Request, v news.Account, id int64, in reportInput) (map[string]string, error) {
	err := s.Svc.ReportComment(r.Context(), v, id, in.Reason, in.Detail)
	return map[string]string{"message": "신고가 접수되었습니다."}, err
}

// The moderation API.

type queueItemJSON struct {
	Comment         commentJSON `json:"comment"`
	AuthorID        int64       `json:"author_id"`
	AuthorName      string      `json:"author_name"`
	Body            string      `json:"body"`
	ArticleHeadline string      `json:"article_headline"`
	Reports         int64       `json:"reports"`
	Reasons         []string    `json:"reasons"`
	LastReportedAt  string      `json:"last_reported_at,omitempty"`
}

// queueQuery is the queue's query: sort, limit and offset.
type queueQuery struct {
	Sort          string
	Limit, Offset int
}

func (in *queueQuery) readRequest(_ *Server, _ http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var err error
	if in.Limit, err = parseLimit(q.Get("limit")); err != nil {
		return err
	}
	if in.Offset, err = parseOffset(q.Get("offset")); err != nil {
		return err
	}
	in.Sort = queueSort(q.Get("sort"))
	return nil
}

type queueJSON struct {
	Items []queueItemJSON `json:"items"`
	Next  string          `json:"next"`
}

func (s *Server) apiModerationQueue(r *http.Request, v news.Account, _ int64, in queueQuery) (queueJSON, error) {
	items, err := s.Svc.ModerationQueue(r.Context(), v, in.Sort, in.Offset, in.Limit)
	if err != nil {
		return queueJSON{}, err
	}
	out := queueJSON{Items: make([]queueItemJSON, 0, len(items))}
	for _, it := range items {
		j := queueItemJSON{Comment: toCommentJSON(it.Comment), AuthorID: it.Comment.AuthorID, AuthorName: it.Comment.AuthorName,
			Body: it.Comment.Body, ArticleHeadline: it.ArticleHeadline, Reports: it.Reports, Reasons: it.Reasons}
		if j.Reasons == nil {
			j.Reasons = []string{}
		}
		if !it.LastReportedAt.IsZero() {
			j.LastReportedAt = news.RFC3339KST(it.LastReportedAt)
		}
		out.Items = append(out.Items, j)
	}
	if len(items) == in.Limit {
		out.Next = strconv.Itoa(in.Offset + in.Limit)
	}
	return out, nil
}

type moderateInput struct {
	Action string `json:"action"`
	Reason string `json:"reason"`
}

type moderatedJSON struct {
	ID    int64  `json:"id"`
	State string `json:"state"`
}

func (s *Server) apiModerateComment(r *http.Request, v news.Account, id int64, in moderateInput) (moderatedJSON, error) {
	c, err := s.Svc.ModerateComment(r.Context(), v, id, in.Action, in.Reason)
	return moderatedJSON{ID: c.ID, State: c.State}, err
}

type sanctionJSON struct {
	AccountID int64  `json:"account_id"`
	Ban       bool   `json:"ban"`
	Until     string `json:"until,omitempty"`
	Reason    string `json:"reason"`
}

func toSanctionJSON(sn news.Sanction) sanctionJSON {
	j := sanctionJSON{AccountID: sn.AccountID, Ban: sn.Ban, Reason: sn.Reason}
	if !sn.Until.IsZero() {
		j.Until = news.RFC3339KST(sn.Until)
	}
	return j
}

func (s *Server) apiSanctions(r *http.Request, v news.Account, _ int64, _ none) (map[string]any, error) {
	list, err := s.Svc.Sanctions(r.Context(), v)
	return unpaged("sanctions", list, toSanctionJSON), err
}

type sanctionInput struct {
	Days   int    `json:"days"`
	Hours  int    `json:"hours"`
	Ban    bool   `json:"ban"`
	Reason string `json:"reason"`
}

func (s *Server) apiSetSanction(r *http.Request, v news.Account, id int64, in sanctionInput) (sanctionJSON, error) {
	if in.Days < 0 || in.Hours < 0 || in.Days > 3650 || in.Hours > 87600 {
		return sanctionJSON{}, news.Errorf(news.EINVALID, "정지 기간을 확인해주세요.")
	}
	if in.Days == 0 && in.Hours == 0 && !in.Ban {
		return sanctionJSON{}, news.Errorf(news.EINVALID, "정지 기간(days, hours)이나 ban을 주세요. 해제는 DELETE입니다.")
	}
	return s.sanction(r, v, id, in)
}

func (s *Server) apiLiftSanction(r *http.Request, v news.Account, id int64, _ none) (sanctionJSON, error) {
	return s.sanction(r, v, id, sanctionInput{})
}

func (s *Server) sanction(r *http.Request, v news.Account, id int64, in sanctionInput) (sanctionJSON, error) {
	d := time.Duration(in.Days)*24*time.Hour + time.Duration(in.Hours)*time.Hour
	sn, err := s.Svc.SuspendReader(r.Context(), v, id, d, in.Ban, in.Reason)
	return toSanctionJSON(sn), err
}

type wordsJSON struct {
	Words []string `json:"words"`
}

func wordsAnswer(words []string, err error) (wordsJSON, error) {
	if words == nil {
		words = []string{}
	}
	return wordsJSON{Words: words}, err
}

func (s *Server) apiBannedWords(r *http.Request, v news.Account, _ int64, _ none) (wordsJSON, error) {
	return wordsAnswer(s.Svc.BannedWords(r.Context(), v))
}

type wordsInput struct {
	Words  []string `json:"words"`
	Reason string   `json:"reason"`
}

func (s *Server) apiSetBannedWords(r *http.Request, v news.Account, _ int64, in wordsInput) (wordsJSON, error) {
	return wordsAnswer(s.Svc.SetBannedWords(r.Context(), v, in.Words, in.Reason))
}

type commentModeJSON struct {
	Mode string `json:"mode"`
}

func (s *Server) apiCommentMode(r *http.Request, _ news.Account, id int64, _ none) (commentModeJSON, error) {
	mode, err := s.Svc.CommentMode(r.Context(), id)
	return commentModeJSON{Mode: mode}, err
}

type commentModeInput struct {
	Mode   string `json:"mode"`
	Reason string `json:"reason"`
}

func (s *Server) apiSetCommentMode(r *http.Request, v news.Account, id int64, in commentModeInput) (commentModeJSON, error) {
	return commentModeJSON{Mode: in.Mode}, s.Svc.SetCommentMode(r.Context(), v, id, in.Mode, in.Reason)
}

type takedownJSON struct {
	ID         int64  `json:"id"`
	TargetKind string `json:"target_kind"`
	TargetID   int64  `json:"target_id"`
	Claimant   string `json:"claimant"`
	Claim      string `json:"claim"`
	State      string `json:"state"`
	Decision   string `json:"decision"`
	CreatedAt  string `json:"created_at"`
	Until      string `json:"until"`
	DecidedAt  string `json:"decided_at,omitempty"`
	By         string `json:"by"`
}

func toTakedownJSON(t news.Takedown) takedownJSON {
	j := takedownJSON{ID: t.ID, TargetKind: t.TargetKind, TargetID: t.TargetID, Claimant: t.Claimant, Claim: t.Claim,
		State: t.State, Decision: t.Decision, CreatedAt: news.RFC3339KST(t.CreatedAt), Until: news.RFC3339KST(t.Until), By: t.ByName}
	if !t.DecidedAt.IsZero() {
		j.DecidedAt = news.RFC3339KST(t.DecidedAt)
	}
	return j
}

func (s *Server) apiTakedowns(r *http.Request, v news.Account, _ int64, _ none) (map[string]any, error) {
	list, err := s.Svc.Takedowns(r.Context(), v)
	return unpaged("takedowns", list, toTakedownJSON), err
}

type takedownInput struct {
	TargetKind string `json:"target_kind"`
	TargetID   int64  `json:"target_id"`
	Claimant   string `json:"claimant"`
	Claim      string `json:"claim"`
	Days       int    `json:"days"`
}

func (s *Server) apiTakeDown(r *http.Request, v news.Account, _ int64, in takedownInput) (takedownJSON, error) {
	if in.TargetKind != news.TargetArticle && in.TargetKind != news.TargetComment {
		return takedownJSON{}, news.Errorf(news.EINVALID, "target_kind는 article 또는 comment입니다.")
	}
	t, err := s.Svc.TakeDown(r.Context(), v, in.TargetKind, in.TargetID, in.Claimant, in.Claim, in.Days)
	return toTakedownJSON(t), err
}

type decisionInput struct {
	Restore  bool   `json:"restore"`
	Decision string `json:"decision"`
}

func (s *Server) apiDecideTakedown(r *http.Request, v news.Account, id int64, in decisionInput) (takedownJSON, error) {
	t, err := s.Svc.DecideTakedown(r.Context(), v, id, in.Restore, in.Decision)
	return toTakedownJSON(t), err
}

// auditQuery is the audit log's query: limit, and the cursor (the last
// entry's id).
type auditQuery struct {
	Limit  int
	Before int64
}

func (in *auditQuery) readRequest(_ *Server, _ http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var err error
	if in.Limit, err = parseLimit(q.Get("limit")); err != nil {
		return err
	}
	if c := q.Get("cursor"); c != "" {
		if in.Before, err = strconv.ParseInt(c, 10, 64); err != nil || in.Before <= 0 {
			return news.Errorf(news.EINVALID, "cursor가 올바르지 않습니다.")
		}
	}
	return nil
}

type auditEntryJSON struct {
	ID         int64  `json:"id"`
	ActorID    int64  `json:"actor_id"`
	Actor      string `json:"actor"`
	Action     string `json:"action"`
	TargetKind string `json:"target_kind"`
	TargetID   int64  `json:"target_id"`
	Reason     string `json:"reason"`
	At         string `json:"at"`
}

type auditJSON struct {
	Entries []auditEntryJSON `json:"entries"`
	Next    string           `json:"next"`
}

func (s *Server) apiAudit(r *http.Request, v news.Account, _ int64, in auditQuery) (auditJSON, error) {
	entries, err := s.Svc.AuditLog(r.Context(), v, in.Before, in.Limit)
	out := auditJSON{Entries: jsonList(entries, func(e news.AuditEntry) auditEntryJSON {
		return auditEntryJSON{e.ID, e.ActorID, e.ActorName, e.Action, e.TargetKind, e.TargetID, e.Reason, news.RFC3339KST(e.CreatedAt)}
	})}
	if len(entries) == in.Limit {
		out.Next = url.QueryEscape(strconv.FormatInt(entries[len(entries)-1].ID, 10))
	}
	return out, err
}
