package sdelements

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
	"github.com/activitysdk/activity-go/internal/paging"
)

// ListActivities lists activities (GET /api/v2/activities/), newest first as
// the instance orders them, filtered by params (nil means no filter). No
// request is sent until the Pager is ranged over; a bad parameter is a
// *ValidationError yielded on the first iteration, before any request.
//
// page_size is always sent. Each page's NextPageToken is the answer's "next"
// link; it is followed only on the instance's own host (another host is an
// error wrapping ErrForeignLink, never requested, so the token never leaves
// the instance). An answer without paging fields, a bare {"results": [...]}
// or a bare list, is one last page.
//
// Every page carries a Checkpoint (except in a walk resumed from a
// PageToken): pass the last one as ListActivitiesParams.Checkpoint to
// continue the feed; see there.
func (c *Client) ListActivities(ctx context.Context, params *ListActivitiesParams) *Pager[Activity] {
	var p ListActivitiesParams
	if params != nil {
		p = *params
	}
	scope := paging.Scope(c.core.BaseURL(), c.listPath)
	var ck *paging.Checkpoint
	if p.Lookback < 0 {
		return failed[Activity](invalid("Lookback", "must not be negative (got %s); 0 means DefaultLookback", p.Lookback))
	}
	if p.Checkpoint != "" {
		if p.PageToken != "" {
			return failed[Activity](invalid("Checkpoint", "cannot be combined with PageToken: set one (PageToken resumes one walk, Checkpoint continues the feed)"))
		}
		var err error
		if ck, err = paging.DecodeCheckpoint(p.Checkpoint, feedOp, scope); err != nil {
			return failed[Activity](invalid("Checkpoint", "%s", err.Error()))
		}
		if ck.Low != 0 {
			if low := time.Unix(0, ck.Low); p.DateFrom.IsZero() || low.After(p.DateFrom) {
				p.DateFrom = low
			}
			if !p.DateTo.IsZero() && p.DateFrom.After(p.DateTo) {
				p.DateTo = p.DateFrom // nothing new in the range: an empty walk
			}
		}
	}
	q, err := p.query()
	if err != nil {
		return failed[Activity](err)
	}
	if p.PageToken != "" {
		if _, err := c.resolveToken(p.PageToken); err != nil {
			return failed[Activity](tokenError(err))
		}
	}
	pageSize := q.Get("page_size")
	fetch := func(ctx context.Context, token string) (*Page[Activity], error) {
		req := &core.Request{Method: http.MethodGet, ExpectJSON: true}
		if token == "" {
			req.Path, req.Query = activitiesPath, q
		} else {
			u, err := c.resolveToken(token)
			if err != nil {
				return nil, err
			}
			req.URL = u
			if !u.Query().Has("page_size") {
				req.Query = url.Values{"page_size": {pageSize}}
			}
		}
		return c.fetchPage(ctx, req)
	}
	if p.PageToken != "" {
		return list(ctx, c, p.PageToken, fetch)
	}
	lookback := p.Lookback
	if lookback == 0 {
		lookback = DefaultLookback
	}
	base := func(ctx context.Context, token string) (*paging.Page[Activity], error) {
		pg, err := fetch(ctx, token)
		return (*paging.Page[Activity])(pg), err
	}
	return feedPager(ctx, c, "", feed(base, stateOf(ck), scope, p.Checkpoint, lookback))
}

// listPage is the paginated answer, reduced to what a walk needs:
// "previous" is not decoded.
type listPage struct {
	Count   *int       `json:"count"`
	Next    *string    `json:"next"`
	Results []Activity `json:"results"`
}

// decodePage decodes a list answer: the paginated object, or a bare list (one
// last page), with every activity normalized. It reads the common shape in
// one reflection-free pass (decodePageFast) and leaves anything else to
// decodePageStd, so that its result is decodePageStd's on every input.
func decodePage(body []byte) (listPage, error) {
	if page, ok := decodePageFast(body); ok {
		return page, nil
	}
	return decodePageStd(body)
}

// decodePageStd is decodePage with encoding/json.
func decodePageStd(body []byte) (listPage, error) {
	body = bytes.TrimSpace(body)
	var page listPage
	if len(body) > 0 && body[0] == '[' {
		// A bare list (decoded as a non-nil slice): one last page.
		if err := json.Unmarshal(body, &page.Results); err != nil {
			return listPage{}, err
		}
	} else if err := json.Unmarshal(body, &page); err != nil {
		return listPage{}, err
	}
	if page.Results == nil {
		return listPage{}, errors.New(`answer has no "results" list`)
	}
	for i := range page.Results {
		page.Results[i].normalize()
	}
	return page, nil
}

func (c *Client) fetchPage(ctx context.Context, req *core.Request) (*Page[Activity], error) {
	page := pageBody{extra: wantsExtra(req)}
	if _, err := c.core.DoJSON(ctx, req, &page); err != nil {
		return nil, err
	}
	out := &Page[Activity]{Items: page.Results, Total: page.Count}
	if page.Next != nil {
		out.NextPageToken = *page.Next
	}
	return out, nil
}

// wantsExtra reports whether req asks for fields beyond the documented ones
// (include or expand), whose members then go to Activity.Extra.
func wantsExtra(req *core.Request) bool {
	q := req.Query
	if req.URL != nil {
		q = req.URL.Query()
	}
	return q.Get("include") != "" || q.Get("expand") != ""
}

// addExtras decodes the results of body (an object with "results", or a bare
// list) once more as raw members, for Activity.Extra.
func addExtras(body []byte, acts []Activity) error {
	var raws []json.RawMessage
	if len(body) > 0 && body[0] == '[' {
		if err := json.Unmarshal(body, &raws); err != nil {
			return err
		}
	} else {
		var env struct {
			Results []json.RawMessage `json:"results"`
		}
		if err := json.Unmarshal(body, &env); err != nil {
			return err
		}
		raws = env.Results
	}
	for i := range acts {
		if i < len(raws) {
			if err := acts[i].addExtra(raws[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// pageBody decodes a list answer for DoJSON (core.BodyDecoder) with
// decodePage; with extra set (the request asks include or expand), the
// members beyond the documented fields go to Activity.Extra. A failure is
// reported as decoding the activities page.
type pageBody struct {
	listPage
	extra bool
}

func (p *pageBody) DecodeBody(body []byte) error {
	page, err := decodePage(body)
	if err == nil && p.extra {
		err = addExtras(bytes.TrimSpace(body), page.Results)
	}
	if err != nil {
		return fmt.Errorf("decoding activities page: %w", err)
	}
	p.listPage = page
	return nil
}

// resolveToken turns a page token (a next link) into the URL to request: it
// must be an absolute or root-relative URL on the instance host, pointing at
// the activities list.
func (c *Client) resolveToken(token string) (*url.URL, error) {
	u, err := c.core.ResolveLink(token)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, errNotALink
	}
	if u.EscapedPath() != c.listPath {
		return nil, fmt.Errorf("sdelements: next link path %q is not the activities list %q; not followed",
			u.EscapedPath(), c.listPath)
	}
	return u, nil
}

var errNotALink = errors.New("sdelements: page token is not a next-page URL")

func tokenError(cause error) error {
	var problem string
	switch {
	case errors.Is(cause, errNotALink):
		problem = "must be a NextPageToken from an earlier ListActivities walk (the API's next link); got a value that is not a URL"
	case errors.Is(cause, core.ErrForeignLink):
		problem = "points to another host than the instance; not followed"
	default:
		problem = "is not a usable next link: " + cause.Error()
	}
	return core.PageTokenError(core.Invalid("sdelements", paramsName, "PageToken", "%s", problem), cause)
}

// GetActivity fetches one activity by id (GET /api/v2/activities/{id}/), the
// same int64 as Activity.ID. An id below 1 is a *ValidationError, returned before any request; an id the
// instance does not know is an *APIError for which errors.Is(err,
// ErrNotFound) is true.
func (c *Client) GetActivity(ctx context.Context, activityID int64) (*Activity, error) {
	if activityID < 1 {
		return nil, core.Invalid("sdelements", "GetActivity", "activityID", "must be a positive id (got %d)", activityID)
	}
	req := &core.Request{Method: http.MethodGet, Path: core.Path("api", "v2", "activities", strconv.FormatInt(activityID, 10)) + "/"}
	var a Activity
	if _, err := c.core.DoJSON(ctx, req, &a); err != nil {
		return nil, err
	}
	a.normalize()
	return &a, nil
}
