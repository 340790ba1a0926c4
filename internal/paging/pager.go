// Package paging is the generic pager behind every list operation of
// activity-go: one Pager type drives cursor, page-number and next-link APIs,
// with resumable page tokens, loop guards and optional read-ahead.
package paging

import (
	"context"
	"errors"
	"iter"
)

// Page is one page of a list. NextPageToken is opaque; it is "" on the last
// page. Store it to resume the walk later, even in another process.
type Page[T any] struct {
	Items         []T
	NextPageToken string
	// Total is the number of items in the whole list as the server reported
	// it with this page (SD Elements "count", ActivTrak working hours
	// "total"), for progress displays; nil when the API reports none. It
	// may change between pages while the list changes.
	Total *int
	// Checkpoint is set on every page of an event feed (Workiva
	// activities, SD Elements activities, the ActivTrak activity log and
	// working hours) and "" on other lists. It is opaque, versioned and
	// bounded in size (at most MaxCheckpointLen bytes). Store it after the
	// page's items are stored: passing it as the params' Checkpoint, in
	// this process or another one, tomorrow or in a minute, continues the
	// feed right after this page's records, late arrivals within the
	// lookback included, without repeating any record it covers.
	//
	// An event feed's walk may end with a page that has no Items but a new
	// Checkpoint (the walk re-read only records the checkpoint already
	// covered, and the state it keeps moved on): store it like any other.
	Checkpoint string
}

// Fetch fetches the page that token designates ("" is the first page). It
// returns the page with the token of the following page, "" when there is
// none.
type Fetch[T any] func(ctx context.Context, token string) (*Page[T], error)

// maxSeen bounds the memory spent on loop detection; past it only an
// immediately repeated token is caught.
const maxSeen = 100_000

// Pager walks a list lazily: nothing is requested until it is ranged over.
// A Pager may be ranged over more than once; each range starts again from
// its start token.
type Pager[T any] struct {
	ctx       context.Context
	fetch     Fetch[T]
	newFetch  func() Fetch[T] // per-walk state (event feeds); nil: fetch
	start     string
	err       error
	readAhead int
}

// New returns a Pager that starts at token start.
func New[T any](ctx context.Context, start string, fetch Fetch[T]) *Pager[T] {
	if ctx == nil {
		ctx = context.Background()
	}
	return &Pager[T]{ctx: ctx, fetch: fetch, start: start}
}

// NewFeed returns a Pager whose every walk (every range over it) gets its
// own Fetch from newFetch: the event feeds keep per-walk state (the records a
// checkpoint covers) in it. A walk that ends with a page holding no items
// but a Checkpoint different from the last one yielded yields that page, so
// the walk's final checkpoint always reaches the caller.
func NewFeed[T any](ctx context.Context, start string, newFetch func() Fetch[T]) *Pager[T] {
	if ctx == nil {
		ctx = context.Background()
	}
	return &Pager[T]{ctx: ctx, newFetch: newFetch, start: start}
}

// fetcher returns the Fetch of one walk.
func (p *Pager[T]) fetcher() Fetch[T] {
	if p.newFetch != nil {
		return p.newFetch()
	}
	return p.fetch
}

// yieldable reports whether a fetched page is handed to the caller: a page
// with items, or the last page of a walk when it carries a checkpoint the
// caller has not seen yet.
func yieldable[T any](page *Page[T], more bool, lastCheckpoint string) bool {
	if len(page.Items) > 0 {
		return true
	}
	return !more && page.Checkpoint != "" && page.Checkpoint != lastCheckpoint
}

// Err returns a Pager whose walk yields err once and sends nothing: used for
// parameters that fail validation.
func Err[T any](err error) *Pager[T] {
	return &Pager[T]{ctx: context.Background(), err: err}
}

// WithReadAhead returns the pager set to fetch up to n pages ahead of the
// caller while it handles the current one (0 turns read-ahead off). Order and
// page tokens are the same as without it; after the caller breaks, no new
// request is started and one in flight is cancelled.
func (p *Pager[T]) WithReadAhead(n int) *Pager[T] {
	if n < 0 {
		n = 0
	}
	cp := *p
	cp.readAhead = n
	return &cp
}

// ReadAheadPages returns the configured read-ahead depth.
func (p *Pager[T]) ReadAheadPages() int { return p.readAhead }

// Pages yields every non-empty page in order. A failed page yields (nil, err)
// once and the walk stops. Breaking out of the loop stops fetching at once. A
// context that ends, before the walk or during it, ends the walk with the
// fetch's error for it (for every provider a *RequestError matching
// context.Canceled or context.DeadlineExceeded).
//
// Guards: an empty or repeated next token ends the walk; an empty page that
// carries a new next token is followed (and not yielded).
func (p *Pager[T]) Pages() iter.Seq2[*Page[T], error] {
	if p.readAhead > 0 && p.err == nil {
		return p.pagesAhead()
	}
	return func(yield func(*Page[T], error) bool) {
		if p.err != nil {
			yield(nil, p.err)
			return
		}
		w := newWalk(p.start)
		fetch := p.fetcher()
		last := ""
		for {
			if p.ctx.Err() != nil {
				yield(nil, p.ctxError(fetch, w.token))
				return
			}
			page, err := fetch(p.ctx, w.token)
			if err != nil {
				yield(nil, err)
				return
			}
			more := w.next(page.NextPageToken)
			if yieldable(page, more, last) {
				if page.Checkpoint != "" {
					last = page.Checkpoint
				}
				if !yield(page, nil) {
					return
				}
			}
			if !more {
				return
			}
		}
	}
}

// ctxError is the error that ends a walk whose context is done: the fetch's
// own when it matches the context's (every provider's fetch goes through
// core.Client.Do, which sends nothing and reports the context as a
// *RequestError naming the request), else the context's error.
func (p *Pager[T]) ctxError(fetch Fetch[T], token string) error {
	err := p.ctx.Err()
	if _, ferr := fetch(p.ctx, token); ferr != nil && errors.Is(ferr, err) {
		return ferr
	}
	return err
}

// All yields every item of every page in order. A failed page yields
// (zero, err) once and the walk stops.
func (p *Pager[T]) All() iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for page, err := range p.Pages() {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range page.Items {
				if !yield(it, nil) {
					return
				}
			}
		}
	}
}

// Collect walks every page and returns all items; on error it returns the
// items read before the error together with the error.
func (p *Pager[T]) Collect() ([]T, error) {
	var out []T
	for it, err := range p.All() {
		if err != nil {
			return out, err
		}
		out = append(out, it)
	}
	return out, nil
}

// walk holds the loop guards of one walk.
type walk struct {
	token string
	seen  map[string]struct{}
}

func newWalk(start string) *walk {
	w := &walk{token: start, seen: map[string]struct{}{}}
	if start != "" {
		w.seen[start] = struct{}{}
	}
	return w
}

// next records a page's next token and reports whether to fetch again. A
// next token that is empty, equal to the one just used, or seen before in
// this walk ends it.
func (w *walk) next(tok string) bool {
	if tok == "" || tok == w.token {
		return false
	}
	if _, dup := w.seen[tok]; dup {
		return false
	}
	if len(w.seen) < maxSeen {
		w.seen[tok] = struct{}{}
	}
	w.token = tok
	return true
}

// ErrPageToken marks a page token this pager cannot use.
var ErrPageToken = errors.New("invalid page token")

// List is the pager of one list operation of a provider package: it starts
// at token start, fetches with fetch and reads up to readAhead pages ahead
// (the client's WithReadAhead). Every provider's list operations go through
// it.
func List[T any](ctx context.Context, start string, readAhead int, fetch Fetch[T]) *Pager[T] {
	return New(ctx, start, fetch).WithReadAhead(readAhead)
}
