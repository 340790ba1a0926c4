package activtrak

import (
	"context"
	"errors"
	"maps"
	"strconv"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
	"github.com/activitysdk/activity-go/internal/paging"
)

// ListUserWorkingHours walks the working-hours report from the users'
// perspective: GET /reports/v2/workinghours/users, one row per user and day.
//
// The API pages by number and reports a total; the walk ends at an empty or
// short page or once page*pageSize reaches the total. Each page's
// NextPageToken is the next page number, so a walk resumes with the same
// params and PageToken set to it. Bad params (including a PageToken that is
// not a page number) are a *ValidationError on the first iteration, before
// any request.
//
// Working hours are a day-window feed: a day's rows keep changing while
// people work and may still arrive after it ends, so a walk (unless resumed
// from a PageToken) reads only days that are final: days that ended (at
// midnight UTC) at least Lookback ago (DefaultWorkingHoursLookback, 24
// hours, when 0) on the client's clock. To is cut to the last final day; a
// walk whose From is not yet final sends nothing. Every page carries a
// Checkpoint: passing the last one tomorrow re-fetches from the first day
// not yet delivered (the first day not final at the last run) and yields
// each row once, with its final values; see WorkingHoursParams.Checkpoint.
func (c *Client) ListUserWorkingHours(ctx context.Context, params *WorkingHoursParams) *Pager[WorkingHours] {
	return c.listWorkingHours(ctx, "users", userHours, params)
}

// ListComputerWorkingHours walks the working-hours report from the computers'
// perspective: GET /reports/v2/workinghours/computers, one row per computer
// and day. Paging, tokens and validation are as for ListUserWorkingHours.
func (c *Client) ListComputerWorkingHours(ctx context.Context, params *WorkingHoursParams) *Pager[WorkingHours] {
	return c.listWorkingHours(ctx, "computers", computerHours, params)
}

func (c *Client) listWorkingHours(ctx context.Context, perspective string, ep endpoint, params *WorkingHoursParams) *Pager[WorkingHours] {
	const name = "WorkingHoursParams"
	base, size, err := params.query(c.earlyAccess, ep)
	if err != nil {
		return failed[WorkingHours](err)
	}
	if _, err := paging.PageNumber(params.PageToken); err != nil {
		return failed[WorkingHours](core.Invalid("activtrak", name, "PageToken",
			"is not a page token of this list: want a page number of 1 or more (got %q)", params.PageToken))
	}
	if params.Lookback < 0 {
		return failed[WorkingHours](core.Invalid("activtrak", name, "Lookback", "must not be negative (got %s); 0 means DefaultWorkingHoursLookback", params.Lookback))
	}
	path := core.Path("reports", "v2", "workinghours", perspective)
	op, scope := "activtrak.List"+map[string]string{"users": "User", "computers": "Computer"}[perspective]+"WorkingHours", paging.Scope(c.core.BaseURL(), path)
	var ck *paging.Checkpoint
	if params.Checkpoint != "" {
		if params.PageToken != "" {
			return failed[WorkingHours](core.Invalid("activtrak", name, "Checkpoint", "cannot be combined with PageToken: set one (PageToken resumes one walk, Checkpoint continues the feed)"))
		}
		if ck, err = paging.DecodeCheckpoint(params.Checkpoint, op, scope); err != nil {
			return failed[WorkingHours](core.Invalid("activtrak", name, "Checkpoint", "%s", err.Error()))
		}
		if _, err := time.Parse(dateLayout, ck.Day); err != nil {
			return failed[WorkingHours](core.Invalid("activtrak", name, "Checkpoint", "is corrupt (no day)"))
		}
	}
	fetch := func(ctx context.Context, token string) (*paging.Page[WorkingHours], error) {
		page, err := paging.PageNumber(token)
		if err != nil {
			return nil, errors.New("activtrak: " + err.Error())
		}
		q := maps.Clone(base)
		q.Set("page", strconv.Itoa(page))
		var out struct {
			Activity []workingHoursWire `json:"activity"`
			Total    *int               `json:"total"`
		}
		if _, err := c.core.DoJSON(ctx, &core.Request{Method: "GET", Path: path, Query: q}, &out); err != nil {
			return nil, err
		}
		total := -1
		if out.Total != nil {
			total = *out.Total
		}
		items := make([]WorkingHours, len(out.Activity))
		for i := range out.Activity {
			items[i] = out.Activity[i].model()
		}
		return &paging.Page[WorkingHours]{Items: items, NextPageToken: paging.NextPageNumber(page, len(items), size, total),
			Total: out.Total}, nil
	}
	if params.PageToken != "" {
		return (*Pager[WorkingHours])(paging.List(ctx, params.PageToken, c.core.ReadAhead(), fetch))
	}
	lookback := params.Lookback
	if lookback == 0 {
		lookback = DefaultWorkingHoursLookback
	}
	start := &workingHoursState{day: params.From.Format(dateLayout)}
	if ck != nil && ck.Day > start.day {
		start.day = ck.Day
		start.rows = map[uint64]struct{}{}
		for _, e := range ck.IDs {
			start.rows[e.ID] = struct{}{}
		}
	}
	from, _ := time.Parse(dateLayout, start.day)
	to, _ := time.Parse(dateLayout, params.To.Format(dateLayout))
	// The last final day: the one that ended lookback or more ago.
	if last := c.now().UTC().Add(-lookback).Truncate(24*time.Hour).AddDate(0, 0, -1); last.Before(to) {
		to = last
	}
	if to.Before(from) {
		// Nothing final to read: no request; the checkpoint stays.
		empty := func(context.Context, string) (*paging.Page[WorkingHours], error) {
			p := &paging.Page[WorkingHours]{}
			if cp := start.encode(op, scope); cp != params.Checkpoint {
				p.Checkpoint = cp
			}
			return p, nil
		}
		return (*Pager[WorkingHours])(paging.NewFeed(ctx, "", func() paging.Fetch[WorkingHours] { return empty }))
	}
	base.Set("from", from.Format(dateLayout))
	base.Set("to", to.Format(dateLayout))
	return feedPager(ctx, c, "", workingHoursFeed(fetch, start, op, scope, params.Checkpoint, to))
}
