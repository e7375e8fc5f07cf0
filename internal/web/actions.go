package web

import (
	"net/http"

	"jikji/internal/news"
)

// access says who may call a route: any logged-in reader, or staff of the
// roles a check allows.
type access struct {
	login bool
	role  func(role string) bool
}

var reader = access{login: true}

// staff is the access of routes for the roles allowed approves; they also
// take a personal API token.
func staff(allowed func(role string) bool) access { return access{login: true, role: allowed} }

// none is the input of an action that reads no body.
type none struct{}

// action is what a JSON route does, given who calls, the {id} of its path
// (0 if it has none) and its decoded body.
type action[In, Out any] func(r *http.Request, v news.Account, id int64, in In) (Out, error)

// jsonAction makes a JSON route's handler. It checks, in this order, the
// login (401), the role (403) and the {id} of the path (404), decodes the
// body into In with the one decoder (unless In is none), calls do and
// writes its answer with status.
func jsonAction[In, Out any](s *Server, who access, status int, do action[In, Out]) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		v, err := s.callerFor(r, who)
		if err != nil {
			return err
		}
		var id int64
		if r.PathValue("id") != "" {
			if id, err = pathID(r, "id"); err != nil {
				return err
			}
		}
		var in In
		if _, empty := any(in).(none); !empty {
			if err := decodeJSON(w, r, &in); err != nil {
				return err
			}
		}
		out, err := do(r, v, id, in)
		if err != nil {
			return err
		}
		writeJSON(w, status, out)
		return nil
	}
}

// callerFor returns who calls, if they may: ErrLoginRequired (401) without
// a login where one is needed, ErrNoRole (403) without the role.
func (s *Server) callerFor(r *http.Request, who access) (news.Account, error) {
	switch {
	case who.role != nil:
		v, err := s.caller(r)
		if err != nil {
			return v, err
		}
		if !who.role(v.Role) {
			return news.Account{}, news.ErrNoRole()
		}
		return v, nil
	case who.login:
		return apiViewer(r)
	}
	return viewer(r), nil
}
