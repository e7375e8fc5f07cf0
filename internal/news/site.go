package news

import "context"

// DefaultSite is shown until the operator saves settings of their own.
var DefaultSite = Site{
	Name:      "직지일보",
	Slogan:    "기록하는 언론, 직지일보",
	Copyright: "Copyright © Jikji. All rights reserved.",
}

// Site returns the site settings, or DefaultSite if none were saved.
func (s *Service) Site(ctx context.Context) (Site, error) {
	site, err := s.store.Site(ctx)
	if IsNotFound(err) {
		return DefaultSite, nil
	}
	return site, err
}

// Sections returns all sections in display order.
func (s *Service) Sections(ctx context.Context) ([]Section, error) {
	return s.store.Sections(ctx)
}

// Section returns the section with the slug. Returns ENOTFOUND for an
// unknown slug.
func (s *Service) Section(ctx context.Context, slug string) (Section, error) {
	return s.store.SectionBySlug(ctx, slug)
}

// Labels returns every label the newsroom may use.
func (s *Service) Labels(ctx context.Context) ([]Label, error) {
	return s.store.Labels(ctx)
}

// Reporters returns every reporter.
func (s *Service) Reporters(ctx context.Context) ([]Reporter, error) {
	return s.store.Reporters(ctx)
}

// Reporter returns ENOTFOUND for an unknown id.
func (s *Service) Reporter(ctx context.Context, id int64) (Reporter, error) {
	return s.store.Reporter(ctx, id)
}

// Photo returns a photo's description. Returns ENOTFOUND for an unknown id.
func (s *Service) Photo(ctx context.Context, id int64) (Photo, error) {
	return s.store.Photo(ctx, id)
}

// PhotoVariant returns the stored variant of exactly that width. Returns
// ENOTFOUND for an unknown photo or width.
func (s *Service) PhotoVariant(ctx context.Context, photoID int64, width int) (PhotoVariant, error) {
	return s.store.PhotoVariant(ctx, photoID, width)
}

// PhotoVariantSize returns the length in bytes of one stored variant.
// Returns ENOTFOUND for an unknown photo or width.
func (s *Service) PhotoVariantSize(ctx context.Context, photoID int64, width int) (int64, error) {
	return s.store.PhotoVariantSize(ctx, photoID, width)
}
