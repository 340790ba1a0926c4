package activtrak

import (
	"context"
	"errors"
	"maps"
	"strconv"

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
	base, size, err := params.query(c.earlyAccess, ep)
	if err != nil {
		return failed[WorkingHours](err)
	}
	if _, err := paging.PageNumber(params.PageToken); err != nil {
		return failed[WorkingHours](core.Invalid("activtrak", "WorkingHoursParams", "PageToken",
			"is not a page token of this list: want a page number of 1 or more (got %q)", params.PageToken))
	}
	path := core.Path("reports", "v2", "workinghours", perspective)
	fetch := func(ctx context.Context, token string) (*Page[WorkingHours], error) {
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
		return &Page[WorkingHours]{Items: items, NextPageToken: paging.NextPageNumber(page, len(items), size, total),
			Total: out.Total}, nil
	}
	return list(ctx, c, params.PageToken, fetch)
}
