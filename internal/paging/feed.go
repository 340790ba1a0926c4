package paging

import (
	"context"
	"hash/fnv"
	"time"
)

// HashID is the 64-bit key of a string record id in a checkpoint (FNV-1a).
func HashID(id string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(id))
	return h.Sum64()
}

// WindowFeed turns base, a fetch of records in ascending time order that
// starts at the checkpoint's Low (the caller puts it in the query), into the
// fetch of an event feed: each walk starts from ck's window (nil: empty),
// drops the records it covers, adds the others, advances the window by
// lookback after every page and sets the page's Checkpoint. start is the
// checkpoint text the walk was given: a page with no items that would carry
// it unchanged gets no Checkpoint (and is not yielded).
func WindowFeed[T any](base Fetch[T], ck *Checkpoint, op, scope, start string, lookback time.Duration,
	key func(*T) (time.Time, uint64)) func() Fetch[T] {
	return func() Fetch[T] {
		w := NewWindow(ck)
		return func(ctx context.Context, token string) (*Page[T], error) {
			page, err := base(ctx, token)
			if err != nil {
				return nil, err
			}
			kept := page.Items[:0]
			for i := range page.Items {
				t, id := key(&page.Items[i])
				if w.Covers(id) {
					continue
				}
				w.Add(t, id)
				kept = append(kept, page.Items[i])
			}
			page.Items = kept
			w.Advance(lookback)
			cp := (&Checkpoint{Op: op, Scope: scope, Low: w.Low, IDs: w.Entries()}).Encode()
			if len(kept) > 0 || cp != start {
				page.Checkpoint = cp
			}
			return page, nil
		}
	}
}
