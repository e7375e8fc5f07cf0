package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"jikji/internal/news"
)

// ClaimDemo inserts the demo marker only while no article exists; the single
// writer connection and IMMEDIATE transactions serialise concurrent callers.
func (s *Store) ClaimDemo(ctx context.Context) (bool, error) {
	res, err := s.write.ExecContext(ctx, `INSERT INTO markers (name, created_at)
		SELECT 'demo', ? WHERE NOT EXISTS (SELECT 1 FROM articles)
		ON CONFLICT (name) DO NOTHING`, time.Now().UnixMicro())
	if err != nil {
		return false, fmt.Errorf("claim demo: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (s *Store) Site(ctx context.Context) (news.Site, error) {
	var data string
	err := s.read.QueryRowContext(ctx, `SELECT data FROM site WHERE id = 1`).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return news.Site{}, notFound("사이트 설정")
	}
	if err != nil {
		return news.Site{}, fmt.Errorf("site: %w", err)
	}
	var site news.Site
	if err := json.Unmarshal([]byte(data), &site); err != nil {
		return news.Site{}, fmt.Errorf("site: %w", err)
	}
	return site, nil
}

func (s *Store) SaveSite(ctx context.Context, site news.Site) error {
	data, err := json.Marshal(site)
	if err != nil {
		return err
	}
	_, err = s.write.ExecContext(ctx, `INSERT INTO site (id, data) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET data = excluded.data`, string(data))
	if err != nil {
		return fmt.Errorf("save site: %w", err)
	}
	return nil
}

func (s *Store) Sections(ctx context.Context) ([]news.Section, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, slug, name, position FROM sections ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("sections: %w", err)
	}
	defer rows.Close()
	var out []news.Section
	for rows.Next() {
		var sec news.Section
		if err := rows.Scan(&sec.ID, &sec.Slug, &sec.Name, &sec.Position); err != nil {
			return nil, err
		}
		out = append(out, sec)
	}
	return out, rows.Err()
}

func (s *Store) SectionBySlug(ctx context.Context, slug string) (news.Section, error) {
	sec := news.Section{Slug: slug}
	err := s.read.QueryRowContext(ctx, `SELECT id, name, position FROM sections WHERE slug = ?`, slug).
		Scan(&sec.ID, &sec.Name, &sec.Position)
	if errors.Is(err, sql.ErrNoRows) {
		return news.Section{}, notFound("섹션")
	}
	if err != nil {
		return news.Section{}, fmt.Errorf("section %q: %w", slug, err)
	}
	return sec, nil
}

func (s *Store) CreateSection(ctx context.Context, sec *news.Section) error {
	err := s.write.QueryRowContext(ctx, `INSERT INTO sections (slug, name, position) VALUES (?, ?, ?) RETURNING id`,
		sec.Slug, sec.Name, sec.Position).Scan(&sec.ID)
	if isConstraint(err) {
		return news.Errorf(news.ECONFLICT, "이미 있는 섹션 주소입니다: %s", sec.Slug)
	}
	if err != nil {
		return fmt.Errorf("create section: %w", err)
	}
	return nil
}

func (s *Store) Labels(ctx context.Context) ([]news.Label, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT code, name FROM labels ORDER BY position, code`)
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	defer rows.Close()
	var out []news.Label
	for rows.Next() {
		var l news.Label
		if err := rows.Scan(&l.Code, &l.Name); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func (s *Store) CreateLabel(ctx context.Context, l news.Label) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO labels (code, name, position)
		VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM labels))`, l.Code, l.Name)
	if isConstraint(err) {
		return news.Errorf(news.ECONFLICT, "이미 있는 라벨입니다: %s", l.Code)
	}
	if err != nil {
		return fmt.Errorf("create label: %w", err)
	}
	return nil
}

func (s *Store) CreateReporter(ctx context.Context, r *news.Reporter) error {
	err := s.write.QueryRowContext(ctx, `INSERT INTO reporters (name, role, email, bio) VALUES (?, ?, ?, ?) RETURNING id`,
		r.Name, r.Role, r.Email, r.Bio).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("create reporter: %w", err)
	}
	return nil
}

func (s *Store) Reporter(ctx context.Context, id int64) (news.Reporter, error) {
	r := news.Reporter{ID: id}
	err := s.read.QueryRowContext(ctx, `SELECT name, role, email, bio FROM reporters WHERE id = ?`, id).
		Scan(&r.Name, &r.Role, &r.Email, &r.Bio)
	if errors.Is(err, sql.ErrNoRows) {
		return news.Reporter{}, notFound("기자")
	}
	if err != nil {
		return news.Reporter{}, fmt.Errorf("reporter %d: %w", id, err)
	}
	return r, nil
}

func (s *Store) Reporters(ctx context.Context) ([]news.Reporter, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, name, role, email, bio FROM reporters ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("reporters: %w", err)
	}
	defer rows.Close()
	var out []news.Reporter
	for rows.Next() {
		var r news.Reporter
		if err := rows.Scan(&r.ID, &r.Name, &r.Role, &r.Email, &r.Bio); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (s *Store) CreatePhoto(ctx context.Context, p *news.Photo, variants []news.PhotoVariant) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if p.CreatedAt.IsZero() {
		p.CreatedAt = time.Now()
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO photos (caption, credit, alt, width, height, content_type, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.Caption, p.Credit, p.Alt, p.Width, p.Height, p.ContentType, micros(p.CreatedAt)).Scan(&p.ID)
	if err != nil {
		return fmt.Errorf("create photo: %w", err)
	}
	for _, v := range variants {
		if _, err := tx.ExecContext(ctx, `INSERT INTO photo_variants (photo_id, width, height, content_type, data)
			VALUES (?, ?, ?, ?, ?)`, p.ID, v.Width, v.Height, v.ContentType, v.Data); err != nil {
			return fmt.Errorf("create photo variant %d: %w", v.Width, err)
		}
	}
	return tx.Commit()
}

func (s *Store) Photo(ctx context.Context, id int64) (news.Photo, error) {
	p := news.Photo{ID: id}
	var created int64
	err := s.read.QueryRowContext(ctx, `SELECT caption, credit, alt, width, height, content_type, created_at
		FROM photos WHERE id = ?`, id).Scan(&p.Caption, &p.Credit, &p.Alt, &p.Width, &p.Height, &p.ContentType, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return news.Photo{}, notFound("사진")
	}
	if err != nil {
		return news.Photo{}, fmt.Errorf("photo %d: %w", id, err)
	}
	p.CreatedAt = fromMicros(created)
	return p, nil
}

func (s *Store) PhotoVariant(ctx context.Context, photoID int64, width int) (news.PhotoVariant, error) {
	v := news.PhotoVariant{PhotoID: photoID, Width: width}
	err := s.read.QueryRowContext(ctx, `SELECT height, content_type, data FROM photo_variants
		WHERE photo_id = ? AND width = ?`, photoID, width).Scan(&v.Height, &v.ContentType, &v.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return news.PhotoVariant{}, notFound("사진")
	}
	if err != nil {
		return news.PhotoVariant{}, fmt.Errorf("photo %d at %d: %w", photoID, width, err)
	}
	return v, nil
}

func (s *Store) PhotoWidths(ctx context.Context, photoID int64) ([]int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT width FROM photo_variants WHERE photo_id = ? ORDER BY width`, photoID)
	if err != nil {
		return nil, fmt.Errorf("photo widths %d: %w", photoID, err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var w int
		if err := rows.Scan(&w); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}
