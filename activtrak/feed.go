package activtrak

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"strconv"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
	"github.com/activitysdk/activity-go/internal/paging"
)

// DefaultWorkingHoursLookback is how long after a day ends its working
// hours are taken as final when WorkingHoursParams.Lookback is 0.
const DefaultWorkingHoursLookback = 24 * time.Hour

// logOp is the operation name of activity-log checkpoints: ListActivityLog
// and FollowActivityLog continue each other's.
const logOp = "activtrak.ActivityLog"

// logIDsKept is how many recent LogIDs an activity-log checkpoint keeps, to
// drop records the API sends again after the cursor.
const logIDsKept = paging.MaxCheckpointIDs

// logState is an activity-log checkpoint: the API's cursor and the most
// recent LogIDs delivered.
type logState struct {
	cursor string
	ids    []int64 // most recent last
	set    map[int64]struct{}
}

func newLogState(c *paging.Checkpoint) *logState {
	s := &logState{set: map[int64]struct{}{}}
	if c != nil {
		s.cursor = c.Cursor
		for _, e := range c.IDs {
			s.add(int64(e.ID))
		}
	}
	return s
}

// add records a delivered id and reports whether it was new (0 always is).
func (s *logState) add(id int64) bool {
	if id == 0 {
		return true
	}
	if _, dup := s.set[id]; dup {
		return false
	}
	s.set[id] = struct{}{}
	s.ids = append(s.ids, id)
	if len(s.ids) > logIDsKept {
		delete(s.set, s.ids[0])
		s.ids = s.ids[1:]
	}
	return true
}

func (s *logState) encode(scope string) string {
	c := &paging.Checkpoint{Op: logOp, Scope: scope, Cursor: s.cursor}
	for i, id := range s.ids {
		c.IDs = append(c.IDs, paging.Entry{T: int64(i), ID: uint64(id)})
	}
	return c.Encode()
}

func (c *Client) logScope() string { return paging.Scope(c.core.BaseURL(), activityLogPath) }

// logCheckpoint validates ActivityLogParams' Checkpoint and PageToken and
// returns the decoded checkpoint (nil for none).
func (c *Client) logCheckpoint(p *ActivityLogParams) (*paging.Checkpoint, error) {
	if p == nil {
		return nil, nil
	}
	const name = "ActivityLogParams"
	if p.Lookback < 0 {
		return nil, core.Invalid("activtrak", name, "Lookback", "must not be negative (got %s)", p.Lookback)
	}
	if p.Checkpoint == "" {
		return nil, nil
	}
	if p.PageToken != "" {
		return nil, core.Invalid("activtrak", name, "Checkpoint", "cannot be combined with PageToken: set one (PageToken resumes one walk, Checkpoint continues the feed)")
	}
	ck, err := paging.DecodeCheckpoint(p.Checkpoint, logOp, c.logScope())
	if err != nil {
		return nil, core.Invalid("activtrak", name, "Checkpoint", "%s", err.Error())
	}
	return ck, nil
}

// workingHoursState is a working-hours checkpoint: the first day not
// delivered in full, and the rows of that day already delivered.
type workingHoursState struct {
	day  string // YYYY-MM-DD
	rows map[uint64]struct{}
}

func (s *workingHoursState) encode(op, scope string) string {
	c := &paging.Checkpoint{Op: op, Scope: scope, Day: s.day}
	for k := range s.rows {
		c.IDs = append(c.IDs, paging.Entry{ID: k})
	}
	return c.Encode()
}

// rowKey identifies a working-hours row within its day: who it is about.
func rowKey(w *WorkingHours) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(strconv.FormatInt(w.UserID, 10) + "/" + strconv.FormatInt(w.ComputerID, 10) + "/"))
	for _, list := range [][]json.RawMessage{w.Users, w.Computers} {
		for _, r := range list {
			_, _ = h.Write(r)
			_, _ = h.Write([]byte{0})
		}
		_, _ = h.Write([]byte{1})
	}
	return h.Sum64()
}

// workingHoursFeed wraps the page walk of [from, to] into the day-window
// feed: it drops the rows of the start day the checkpoint covers and gives
// each page the checkpoint after it; the last page's names the day after to.
func workingHoursFeed(base paging.Fetch[WorkingHours], start *workingHoursState, op, scope, startText string, to time.Time) func() paging.Fetch[WorkingHours] {
	return func() paging.Fetch[WorkingHours] {
		cur := &workingHoursState{day: start.day, rows: map[uint64]struct{}{}}
		for k := range start.rows {
			cur.rows[k] = struct{}{}
		}
		return func(ctx context.Context, token string) (*paging.Page[WorkingHours], error) {
			page, err := base(ctx, token)
			if err != nil {
				return nil, err
			}
			kept := page.Items[:0]
			for i := range page.Items {
				w := &page.Items[i]
				day := w.Date.Format(dateLayout)
				k := rowKey(w)
				if day == start.day {
					if _, dup := start.rows[k]; dup {
						continue
					}
				}
				if day != cur.day {
					cur.day, cur.rows = day, map[uint64]struct{}{}
				}
				cur.rows[k] = struct{}{}
				kept = append(kept, *w)
			}
			page.Items = kept
			st := cur
			if page.NextPageToken == "" {
				st = &workingHoursState{day: to.AddDate(0, 0, 1).Format(dateLayout)}
			}
			if cp := st.encode(op, scope); len(kept) > 0 || cp != startText {
				page.Checkpoint = cp
			}
			return page, nil
		}
	}
}
