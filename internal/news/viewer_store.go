package news

import "context"

// ViewerState is what one reader's copy of an article page shows of them,
// with the reaction counts beside their own choice.
type ViewerState struct {
	Counts   map[string]int64
	Reaction string // the reader's 공감 표현, or ""
	Saved    bool
	// Subscribed holds the article's reporters the reader follows.
	Subscribed map[int64]bool
}

// ViewerStore answers a logged-in reader's article page in one round trip.
type ViewerStore interface {
	// ViewerState returns the article's reaction counts and, for accountID
	// (0 for an anonymous reader), their reaction, whether they saved the
	// article and which of its reporters they follow.
	ViewerState(ctx context.Context, articleID, accountID int64) (ViewerState, error)
}
