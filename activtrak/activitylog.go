package activtrak

import (
	"context"
	"maps"
	"net/url"

	"github.com/activitysdk/activity-go/internal/core"
	"github.com/activitysdk/activity-go/internal/paging"
)

var activityLogPath = core.Path("reports", "v2", "activitylog")

// ListActivityLog walks the activity log: GET /reports/v2/activitylog,
// paged by the API's cursor. nil params mean the defaults (from today, all
// users, 1000 records a page).
//
// Each page's NextPageToken is the cursor the API returned with it. The walk
// asks again with that cursor until a page comes back empty (the API then
// returns the same cursor: nothing new yet), so the last page's
// NextPageToken is the position to store. Resuming from it later, with
// PageToken set, returns only the records received since, late arrivals
// for earlier days included; FollowActivityLog does that in a loop.
//
// Every page carries a Checkpoint (except in a walk resumed from a
// PageToken): the cursor after it and the LogIDs recently delivered. Pass the
// last one as ActivityLogParams.Checkpoint to continue the feed, in this
// process or another, with ListActivityLog or FollowActivityLog.
//
// Bad params are a *ValidationError on the first iteration, before any
// request.
func (c *Client) ListActivityLog(ctx context.Context, params *ActivityLogParams) *Pager[ActivityLogEntry] {
	base, size, err := params.query(c.earlyAccess)
	if err != nil {
		return failed[ActivityLogEntry](err)
	}
	ck, err := c.logCheckpoint(params)
	if err != nil {
		return failed[ActivityLogEntry](err)
	}
	fetch := func(ctx context.Context, token string) (*paging.Page[ActivityLogEntry], error) {
		items, cursor, err := c.fetchActivityLog(ctx, base, size, token)
		if err != nil {
			return nil, err
		}
		return &paging.Page[ActivityLogEntry]{Items: items, NextPageToken: paging.NextCursor(len(items), cursor)}, nil
	}
	if params != nil && params.PageToken != "" {
		return (*Pager[ActivityLogEntry])(paging.List(ctx, params.PageToken, c.core.ReadAhead(), fetch))
	}
	startText := ""
	if params != nil {
		startText = params.Checkpoint
	}
	scope := c.logScope()
	feed := func() paging.Fetch[ActivityLogEntry] {
		st := newLogState(ck)
		return func(ctx context.Context, token string) (*paging.Page[ActivityLogEntry], error) {
			page, err := fetch(ctx, token)
			if err != nil {
				return nil, err
			}
			kept := page.Items[:0]
			for _, e := range page.Items {
				if st.add(e.LogID) {
					kept = append(kept, e)
				}
			}
			page.Items = kept
			if page.NextPageToken != "" {
				st.cursor = page.NextPageToken
			}
			if cp := st.encode(scope); len(kept) > 0 || cp != startText {
				page.Checkpoint = cp
			}
			return page, nil
		}
	}
	return feedPager(ctx, c, newLogState(ck).cursor, feed)
}

// fetchActivityLog requests one page of size records at cursor ("" for none)
// and returns its records and the cursor the API sent back. base carries
// pageSize=size.
func (c *Client) fetchActivityLog(ctx context.Context, base url.Values, size int, cursor string) ([]ActivityLogEntry, string, error) {
	q := base
	if cursor != "" {
		q = maps.Clone(base)
		q.Set("cursor", cursor)
	}
	out := logPage{size: size}
	if _, err := c.core.DoJSON(ctx, &core.Request{Method: "GET", Path: activityLogPath, Query: q}, &out); err != nil {
		return nil, "", err
	}
	return out.items, out.cursor, nil
}
