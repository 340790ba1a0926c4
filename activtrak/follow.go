package activtrak

import (
	"context"
	"iter"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
)

// followWindow is how many recent LogIDs FollowActivityLog remembers to
// drop records the API sends again. Memory stays bounded however long the
// follow runs.
const followWindow = 16_384

// FollowActivityLog tails the activity log: it walks it like ListActivityLog
// and then keeps polling from the last cursor, so records that arrive later
// (late arrivals for earlier days included) are yielded as they come.
//
// Each non-empty page is yielded with NextPageToken set to the cursor after
// it: store it as a checkpoint, and a later follow (or ListActivityLog) with
// PageToken set to it continues from there, even in another process. After a
// full page the next request is sent at once; after a short or empty one the
// follow waits interval before asking again. interval must be positive.
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
		base, size, err := params.query()
		if err != nil {
			yield(nil, err)
			return
		}
		if interval <= 0 {
			yield(nil, core.Invalid("activtrak", "FollowActivityLog", "interval", "must be positive (got %s)", interval))
			return
		}
		token := ""
		if params != nil {
			token = params.PageToken
		}
		seen := newIDWindow(followWindow)
		var timer *time.Timer
		defer func() {
			if timer != nil {
				timer.Stop()
			}
		}()
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
			advanced := cursor != "" && cursor != token
			if cursor != "" {
				token = cursor
			}
			items := raw[:0]
			for _, e := range raw {
				if seen.add(e.LogID) {
					items = append(items, e)
				}
			}
			if len(items) > 0 && !yield(&Page[ActivityLogEntry]{Items: items, NextPageToken: token}, nil) {
				return
			}
			if len(raw) >= size && advanced {
				continue // a full page: more is waiting
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
