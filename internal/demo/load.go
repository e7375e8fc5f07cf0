package demo

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"sync"

	"jikji/internal/news"
)

var bodyPhotoRef = regexp.MustCompile(`\(photo:([^)\s]+)\)`)

// Load fills a site that has never held an article with the demo content.
// It reports whether it did; a site loads it at most once in its life, even
// when several nodes start together or every article is later deleted.
// The content goes straight into st, the store under svc: it is the site's
// own furniture, not a newsroom's work.
func Load(ctx context.Context, svc *news.Service, st news.Store) (bool, error) {
	claimed, err := st.ClaimDemo(ctx)
	if err != nil || !claimed {
		return false, err
	}
	c := cachedContent()
	if err := st.SaveSite(ctx, c.Site); err != nil {
		return false, err
	}
	sections := map[string]news.Section{}
	for _, sec := range c.Sections {
		if err := st.CreateSection(ctx, &sec); err != nil {
			return false, err
		}
		sections[sec.Slug] = sec
	}
	for _, l := range c.Labels {
		if err := st.CreateLabel(ctx, l); err != nil && news.ErrorCode(err) != news.ECONFLICT {
			return false, err
		}
	}
	reporters := map[string]int64{}
	for _, r := range c.Reporters {
		if err := st.CreateReporter(ctx, &r); err != nil {
			return false, err
		}
		reporters[r.Name] = r.ID
	}
	photos := map[string]int64{}
	for _, p := range c.Photos {
		largest := p.Variants[len(p.Variants)-1]
		photo := news.Photo{Caption: p.Caption, Credit: p.Credit, Alt: p.Alt,
			Width: largest.Width, Height: largest.Height, ContentType: largest.ContentType}
		if err := st.CreatePhoto(ctx, &photo, p.Variants); err != nil {
			return false, err
		}
		photos[p.Key] = photo.ID
	}
	labels, err := st.Labels(ctx)
	if err != nil {
		return false, err
	}
	labelNames := map[string]string{}
	for _, l := range labels {
		labelNames[l.Code] = l.Name
	}
	for _, da := range c.Articles {
		sec, ok := sections[da.SectionSlug]
		if !ok {
			return false, fmt.Errorf("demo article %q: no section %q", da.Headline, da.SectionSlug)
		}
		var refErr error
		body := bodyPhotoRef.ReplaceAllStringFunc(da.Body, func(m string) string {
			key := bodyPhotoRef.FindStringSubmatch(m)[1]
			id, ok := photos[key]
			if !ok {
				refErr = fmt.Errorf("demo article %q: no photo %q", da.Headline, key)
			}
			return "(photo:" + strconv.FormatInt(id, 10) + ")"
		})
		if refErr != nil {
			return false, refErr
		}
		a := news.Article{
			Section: sec, Headline: da.Headline, Deck: da.Deck, Body: body,
			State: news.StatePublished, PublishedAt: da.PublishedAt, UpdatedAt: da.UpdatedAt,
			Print: da.Print, Source: da.Source, CommentsOpen: true,
		}
		for _, code := range da.LabelCodes {
			a.Labels = append(a.Labels, news.Label{Code: code, Name: labelNames[code]})
		}
		for _, b := range da.Bylines {
			id, ok := reporters[b.ReporterName]
			if !ok {
				return false, fmt.Errorf("demo article %q: no reporter %q", da.Headline, b.ReporterName)
			}
			a.Bylines = append(a.Bylines, news.Byline{ReporterID: id, Name: b.ReporterName, Role: b.Role, Dateline: b.Dateline})
		}
		if err := svc.CreateArticle(ctx, &a); err != nil {
			return false, fmt.Errorf("demo article %q: %w", da.Headline, err)
		}
	}
	return true, nil
}

// cachedContent builds the demo once per process: drawing and encoding the
// photos is the slow part, and the content never changes.
var cachedContent = sync.OnceValue(New)
