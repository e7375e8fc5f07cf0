package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"jikji/internal/news"

	"github.com/jackc/pgx/v5"
)

// ClaimDemo inserts the demo marker only while no article exists. The marker's
// primary key makes concurrent callers wait for the first one's transaction
// and then insert nothing, so exactly one of them is told true.
func (s *Store) ClaimDemo(ctx context.Context) (bool, error) {
	tag, err := s.pool.Exec(ctx, `INSERT INTO markers (name, created_at)
		SELECT 'demo', $1 WHERE NOT EXISTS (SELECT 1 FROM articles)
		ON CONFLICT (name) DO NOTHING`, now())
	if err != nil {
		return false, fmt.Errorf("claim demo: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

func (s *Store) Site(ctx context.Context) (news.Site, error) {
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM site WHERE id = 1`).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Site{}, notFound("사이트 설정")
	}
	if err != nil {
		return news.Site{}, fmt.Errorf("site: %w", err)
	}
	var site news.Site
	if err := json.Unmarshal(data, &site); err != nil {
		return news.Site{}, fmt.Errorf("site: %w", err)
	}
	return site, nil
}

func (s *Store) SaveSite(ctx context.Context, site news.Site) error {
	data, err := json.Marshal(site)
	if err != nil {
		return err
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO site (id, data) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET data = excluded.data`, string(data))
	if err != nil {
		return fmt.Errorf("save site: %w", err)
	}
	return nil
}

func (s *Store) Sections(ctx context.Context) ([]news.Section, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, slug, name, position FROM sections ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("sections: %w", err)
	}
	return collect(rows, func(r pgx.Rows) (news.Section, error) {
		var sec news.Section
		err := r.Scan(&sec.ID, &sec.Slug, &sec.Name, &sec.Position)
		return sec, err
	})
}

func (s *Store) SectionBySlug(ctx context.Context, slug string) (news.Section, error) {
	sec := news.Section{Slug: slug}
	err := s.pool.QueryRow(ctx, `SELECT id, name, position FROM sections WHERE slug = $1`, slug).
		Scan(&sec.ID, &sec.Name, &sec.Position)
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Section{}, notFound("섹션")
	}
	if err != nil {
		return news.Section{}, fmt.Errorf("section %q: %w", slug, err)
	}
	return sec, nil
}

func (s *Store) CreateSection(ctx context.Context, sec *news.Section) error {
	err := s.pool.QueryRow(ctx, `INSERT INTO sections (slug, name, position) VALUES ($1, $2, $3) RETURNING id`,
		sec.Slug, sec.Name, sec.Position).Scan(&sec.ID)
	if isUnique(err) {
		return news.Errorf(news.ECONFLICT, "이미 있는 섹션 주소입니다: %s", sec.Slug)
	}
	if err != nil {
		return fmt.Errorf("create section: %w", err)
	}
	return nil
}

func (s *Store) Labels(ctx context.Context) ([]news.Label, error) {
	rows, err := s.pool.Query(ctx, `SELECT code, name FROM labels ORDER BY position, code`)
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	return collect(rows, func(r pgx.Rows) (news.Label, error) {
		var l news.Label
		err := r.Scan(&l.Code, &l.Name)
		return l, err
	})
}

func (s *Store) CreateLabel(ctx context.Context, l news.Label) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO labels (code, name, position)
		VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM labels))`, l.Code, l.Name)
	if isUnique(err) {
		return news.Errorf(news.ECONFLICT, "이미 있는 라벨입니다: %s", l.Code)
	}
	if err != nil {
		return fmt.Errorf("create label: %w", err)
	}
	return nil
}

func (s *Store) CreateReporter(ctx context.Context, r *news.Reporter) error {
	err := s.pool.QueryRow(ctx, `INSERT INTO reporters (name, role, email, bio) VALUES ($1, $2, $3, $4) RETURNING id`,
		r.Name, r.Role, r.Email, r.Bio).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("create reporter: %w", err)
	}
	return nil
}

func (s *Store) Reporter(ctx context.Context, id int64) (news.Reporter, error) {
	r := news.Reporter{ID: id}
	err := s.pool.QueryRow(ctx, `SELECT name, role, email, bio FROM reporters WHERE id = $1`, id).
		Scan(&r.Name, &r.Role, &r.Email, &r.Bio)
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Reporter{}, notFound("기자")
	}
	if err != nil {
		return news.Reporter{}, fmt.Errorf("reporter %d: %w", id, err)
	}
	return r, nil
}

func (s *Store) Reporters(ctx context.Context) ([]news.Reporter, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, name, role, email, bio FROM reporters ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("reporters: %w", err)
	}
	return collect(rows, func(row pgx.Rows) (news.Reporter, error) {
		var r news.Reporter
		err := row.Scan(&r.ID, &r.Name, &r.Role, &r.Email, &r.Bio)
		return r, err
	})
}

func (s *Store) CreatePhoto(ctx context.Context, p *news.Photo, variants []news.PhotoVariant) error {
	if p.CreatedAt.IsZero() {
		p.CreatedAt = now()
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO photos (caption, credit, alt, width, height, content_type, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			p.Caption, p.Credit, p.Alt, p.Width, p.Height, p.ContentType, p.CreatedAt).Scan(&p.ID)
		if err != nil {
			return fmt.Errorf("create photo: %w", err)
		}
		for _, v := range variants {
			if _, err := tx.Exec(ctx, `INSERT INTO photo_variants (photo_id, width, height, content_type, data)
				VALUES ($1, $2, $3, $4, $5)`, p.ID, v.Width, v.Height, v.ContentType, v.Data); err != nil {
				return fmt.Errorf("create photo variant %d: %w", v.Width, err)
			}
		}
		return nil
	})
}

func (s *Store) Photo(ctx context.Context, id int64) (news.Photo, error) {
	p := news.Photo{ID: id}
	err := s.pool.QueryRow(ctx, `SELECT caption, credit, alt, width, height, content_type, created_at
		FROM photos WHERE id = $1`, id).Scan(&p.Caption, &p.Credit, &p.Alt, &p.Width, &p.Height, &p.ContentType, &p.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return news.Photo{}, notFound("사진")
	}
	if err != nil {
		return news.Photo{}, fmt.Errorf("photo %d: %w", id, err)
	}
	return p, nil
}

func (s *Store) PhotoVariant(ctx context.Context, photoID int64, width int) (news.PhotoVariant, error) {
	v := news.PhotoVariant{PhotoID: photoID, Width: width}
	err := s.pool.QueryRow(ctx, `SELECT height, content_type, data FROM photo_variants
		WHERE photo_id = $1 AND width = $2`, photoID, width).Scan(&v.Height, &v.ContentType, &v.Data)
	if errors.Is(err, pgx.ErrNoRows) {
		return news.PhotoVariant{}, notFound("사진")
	}
	if err != nil {
		return news.PhotoVariant{}, fmt.Errorf("photo %d at %d: %w", photoID, width, err)
	}
	return v, nil
}

func (s *Store) PhotoWidths(ctx context.Context, photoID int64) ([]int, error) {
	rows, err := s.pool.Query(ctx, `SELECT width FROM photo_variants WHERE photo_id = $1 ORDER BY width`, photoID)
	if err != nil {
		return nil, fmt.Errorf("photo widths %d: %w", photoID, err)
	}
	return collect(rows, func(r pgx.Rows) (int, error) {
		var w int
		err := r.Scan(&w)
		return w, err
	})
}
