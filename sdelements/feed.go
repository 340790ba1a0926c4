package sdelements

import (
	"context"
	"time"

	"github.com/activitysdk/activity-go/internal/paging"
)

// DefaultLookback is the lookback of ListActivities when
// ListActivitiesParams.Lookback is 0: an activity whose date is up to an
// hour earlier than the newest one already delivered is still delivered.
const DefaultLookback = time.Hour

const feedOp = "sdelements.ListActivities"

// feedState is what an SD Elements checkpoint says is delivered. The
// instance numbers activities in the order it records them, so an id is a
// position in time of recording, whatever the activity's date:
//
//   - every activity with an id up to floor is covered;
//   - the ids in ids are covered;
//   - while a walk is partway (upper != 0), every activity dated after upper
//     with an id up to max is covered: the walk, newest first, went past it.
//
// low is where the next walk re-reads from (date_from): the lookback before
// the newest date seen, never moving back.
type feedState struct {
	low, floor, upper, max int64
	ids                    map[int64]int64 // id -> date (UnixNano)
}

func stateOf(c *paging.Checkpoint) *feedState {
	s := &feedState{ids: map[int64]int64{}}
	if c == nil {
		return s
	}
	s.low, s.floor, s.upper, s.max = c.Low, c.Floor, c.Upper, c.Max
	for _, e := range c.IDs {
		s.ids[int64(e.ID)] = e.T
	}
	return s
}

func (s *feedState) covers(a *Activity) bool {
	if a.ID <= s.floor {
		return true
	}
	if _, ok := s.ids[a.ID]; ok {
		return true
	}
	return s.upper != 0 && a.Date.UnixNano() > s.upper && a.ID <= s.max
}

func (s *feedState) clone() *feedState {
	c := *s
	c.ids = make(map[int64]int64, len(s.ids))
	for k, v := range s.ids {
		c.ids[k] = v
	}
	return &c
}

func (s *feedState) encode(scope string) string {
	c := &paging.Checkpoint{Op: feedOp, Scope: scope, Low: s.low, Floor: s.floor, Upper: s.upper, Max: s.max}
	for id, t := range s.ids {
		c.IDs = append(c.IDs, paging.Entry{T: t, ID: uint64(id)})
	}
	return c.Encode()
}

// feed wraps the newest-first walk of ListActivities (which starts at
// start's low) into the event feed: it drops what the state covers, and
// gives each page the checkpoint of what is delivered after it. The walk
// re-reads from low; once it is complete the state is one floor id and a new
// low, whatever the number of activities.
func feed(base paging.Fetch[Activity], start *feedState, scope, startText string, lookback time.Duration) func() paging.Fetch[Activity] {
	return func() paging.Fetch[Activity] {
		cur := start.clone()
		seenMax := max(start.floor, start.max)
		newest := int64(0)
		tiePos, ties := int64(0), map[int64]int64{}
		return func(ctx context.Context, token string) (*paging.Page[Activity], error) {
			page, err := base(ctx, token)
			if err != nil {
				return nil, err
			}
			raw := len(page.Items)
			kept := page.Items[:0]
			var delivered []Activity
			for i := range page.Items {
				a := &page.Items[i]
				t := a.Date.UnixNano()
				seenMax = max(seenMax, a.ID)
				newest = max(newest, t)
				if t != tiePos {
					tiePos, ties = t, map[int64]int64{}
				}
				ties[a.ID] = t
				if cur.covers(a) {
					continue
				}
				delivered = append(delivered, *a)
				kept = append(kept, *a)
			}
			page.Items = kept
			var next *feedState
			switch {
			case page.NextPageToken == "":
				// The walk is complete: everything from low up, with an
				// id up to seenMax, was seen.
				next = &feedState{low: start.low, floor: seenMax, ids: map[int64]int64{}}
				if newest != 0 {
					next.low = max(start.low, newest-int64(lookback))
				}
			case raw == 0:
				next = cur
			case start.upper != 0 && tiePos > start.upper:
				// Still above where the interrupted walk stopped: the
				// activities delivered here are new; remember them.
				next = cur.clone()
				for _, a := range delivered {
					next.ids[a.ID] = a.Date.UnixNano()
				}
			default:
				next = &feedState{low: start.low, floor: start.floor, upper: tiePos, max: max(seenMax, start.max), ids: ties}
			}
			cur = next.clone()
			if cp := next.encode(scope); len(page.Items) > 0 || cp != startText {
				page.Checkpoint = cp
			}
			return page, nil
		}
	}
}
