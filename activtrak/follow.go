package activtrak

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"iter"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
)

// followWindow is how many recent LogIDs FollowActivityLog remembers to
// drop records the API sends again. Memory stays bounded however long the
// follow runs.
const followWindow = 16_384

// ErrCursorLoop is wrapped by the error FollowActivityLog yields when the
// API hands back a cursor the follow already moved past: the log would be
// walked in a circle. The follow ends; the page that carried that cursor is
// not yielded, and the last checkpoint yielded (the one before the loop) is
// still good to resume from.
var ErrCursorLoop = errors.New("activtrak: the activity log's cursor returned to an earlier value")

// followCursors is how many past cursors FollowActivityLog remembers (as
// 64-bit hashes, whatever the cursors' length) to detect a loop.
const followCursors = 16_384

// FollowActivityLog tails the activity log: it walks it like ListActivityLog
// and then keeps polling from the last cursor, so records that arrive later
// (late arrivals for earlier days included) are yielded as they come.
//
// Each non-empty page is yielded with NextPageToken set to the cursor after
// it and Checkpoint set to that cursor plus the LogIDs recently delivered:
// store the Checkpoint, and a later follow (or ListActivityLog) with
// Checkpoint set to it continues from there, even in another process,
// dropping records the API sends again. After a
// full page that brought at least one new record and a new cursor, the next
// request is sent at once; after a short or empty page, or a full page of
// records already yielded, the follow waits interval before asking again.
// interval must be positive.
//
// A cursor the follow moved past earlier (among the most recent 16,384) is a
// loop on the server's side: the follow yields an error wrapping
// ErrCursorLoop and ends, rather than walk the circle again.
//
// No record is yielded twice within one follow: records are de-duplicated by
// LogID over the most recent 16,384 ids (records with LogID 0 are never
// dropped). A page whose records were all seen before is not yielded.
//
// The follow ends when ctx ends (cancel it, or use a deadline): the sequence
// then simply stops, without yielding the context's error; check ctx.Err()
// when the reason matters. Breaking out of the loop ends it too. Any other
// failure is yielded once as (nil, err) and ends the follow: transient
// failures (429, 5xx, dropped connections) have by then already been retried
// under the client's RetryPolicy. Resume from the last checkpoint to go on.
// Bad params or interval are a *ValidationError, before any request. A follow
// never reads ahead, whatever WithReadAhead says.
func (c *Client) FollowActivityLog(ctx context.Context, params *ActivityLogParams, interval time.Duration) iter.Seq2[*Page[ActivityLogEntry], error] {
	if ctx == nil {
		ctx = context.Background()
	}
	return func(yield func(*Page[ActivityLogEntry], error) bool) {
		base, size, err := params.query(c.earlyAccess)
		if err != nil {
			yield(nil, err)
			return
		}
		if interval <= 0 {
			yield(nil, core.Invalid("activtrak", "FollowActivityLog", "interval", "must be positive (got %s)", interval))
			return
		}
		ck, err := c.logCheckpoint(params)
		if err != nil {
			yield(nil, err)
			return
		}
		token := ""
		if params != nil {
			token = params.PageToken
		}
		st := newLogState(ck) // the checkpoint of each page
		seen := newIDWindow(followWindow)
		if ck != nil {
			token = st.cursor
			for _, id := range st.ids {
				seen.add(id)
			}
		}
		scope := c.logScope()
		cursors := newCursorWindow(followCursors)
		cursors.add(token)
		var timer *time.Timer
		defer func() {
			if timer != nil {
				timer.Stop()
			}
		}()
		polls := 0
		for {
			if ctx.Err() != nil {
				return
			}
			raw, cursor, err := c.fetchActivityLog(ctx, base, size, token)
			if err != nil {
				if ctx.Err() == nil {
					yield(nil, err)
				}
				return
			}
			polls++
			advanced := cursor != "" && cursor != token
			if advanced && !cursors.add(cursor) {
				yield(nil, fmt.Errorf("%w (after %d requests of this follow); resume from the last checkpoint once the API is fixed", ErrCursorLoop, polls))
				return
			}
			if cursor != "" {
				token = cursor
			}
			items := raw[:0]
			for _, e := range raw {
				if seen.add(e.LogID) {
					st.add(e.LogID)
					items = append(items, e)
				}
			}
			st.cursor = token
			if len(items) > 0 && !yield(&Page[ActivityLogEntry]{Items: items, NextPageToken: token, Checkpoint: st.encode(scope)}, nil) {
				return
			}
			if len(raw) >= size && advanced && len(items) > 0 {
				continue // a full page with news: more is waiting
			}
			if c.wait != nil {
				if !c.wait(ctx, interval) {
					return
				}
				continue
			}
			if timer == nil {
				timer = time.NewTimer(interval)
			} else {
				timer.Reset(interval)
			}
			select {
			case <-ctx.Done():
				return
			case <-timer.C:
			}
		}
	}
}

// idWindow remembers the most recent ids, up to a fixed number.
type idWindow struct {
	set  map[int64]struct{}
	ring []int64
	next int
}

func newIDWindow(n int) *idWindow {
	return &idWindow{set: make(map[int64]struct{}, n), ring: make([]int64, 0, n)}
}

// add records id and reports whether it is new. Id 0 is always new.
func (w *idWindow) add(id int64) bool {
	if id == 0 {
		return true
	}
	if _, dup := w.set[id]; dup {
		return false
	}
	if len(w.ring) < cap(w.ring) {
		w.ring = append(w.ring, id)
	} else {
		delete(w.set, w.ring[w.next])
		w.ring[w.next] = id
		w.next = (w.next + 1) % len(w.ring)
	}
	w.set[id] = struct{}{}
	return true
}

// cursorWindow remembers the hashes of the most recent cursors, up to a fixed
// number.
type cursorWindow struct {
	seed maphash.Seed
	ids  *idWindow
}

func newCursorWindow(n int) *cursorWindow {
	return &cursorWindow{seed: maphash.MakeSeed(), ids: newIDWindow(n)}
}

// add records cursor and reports whether it is new. The empty cursor is
// always new.
func (w *cursorWindow) add(cursor string) bool {
	if cursor == "" {
		return true
	}
	h := int64(maphash.String(w.seed, cursor))
	if h == 0 {
		h = 1 // id 0 is never remembered by idWindow
	}
	return w.ids.add(h)
}
