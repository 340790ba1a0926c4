package workiva

import (
	"cmp"
	"context"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
	"github.com/activitysdk/activity-go/internal/paging"
)

// GetActivity returns one activity by its ID (GET /activities/{activityId}).
// The ID is opaque base64 and is sent as one escaped path segment, "/", "+"
// and "=" included. An unknown ID returns an *APIError matching ErrNotFound.
func (c *Client) GetActivity(ctx context.Context, activityID string) (*Activity, error) {
	w, err := getByID[activityWire](ctx, c, "GetActivity", "activityID", "activities", activityID)
	if err != nil {
		return nil, err
	}
	a := w.model()
	return &a, nil
}

// GetActivityAction returns one activity action by its ID, such as
// "com.workiva.administration.workspace_membership.create"
// (GET /activityActions/{activityActionId}).
func (c *Client) GetActivityAction(ctx context.Context, activityActionID string) (*ActivityAction, error) {
	return getByID[ActivityAction](ctx, c, "GetActivityAction", "activityActionID", "activityActions", activityActionID)
}

// getByID checks id (the op's parameter param) and decodes the answer to
// GET /{collection}/{id}, id sent as one escaped path segment.
func getByID[T any](ctx context.Context, c *Client, op, param, collection, id string) (*T, error) {
	if err := checkID(op, param, id); err != nil {
		return nil, err
	}
	var v T
	if _, err := c.core.DoJSON(ctx, &core.Request{Method: http.MethodGet, Path: core.Path(collection, id)}, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// ListActivityActions lists the kinds of action that may produce activities
// (GET /activityActions), page by page on @nextLink. params may be nil. Bad
// parameters are yielded as a *ValidationError on the first iteration, before
// any request.
func (c *Client) ListActivityActions(ctx context.Context, params *ListActivityActionsParams) *Pager[ActivityAction] {
	if params == nil {
		params = &ListActivityActionsParams{}
	}
	const name = "ListActivityActionsParams"
	q, err := listQuery(name, "", params.OrderBy, params.PageSize, false)
	if err != nil {
		return failed[ActivityAction](err)
	}
	return listOp(ctx, c, name, core.Path("activityActions"), q, params.PageToken, func(body []byte) ([]ActivityAction, *string, error) {
		return decodeStd(body, 0, sameItems[ActivityAction])
	})
}

// ListOrganizationActivities lists the activities of an organization
// (GET /organizations/{organizationId}/activities), page by page on
// @nextLink, with $filter, $orderBy and $maxpagesize from params (nil means
// none). The caller needs an organization admin role. Bad parameters are
// yielded as a *ValidationError on the first iteration, before any request.
//
// It is an event feed: every page carries a Checkpoint (except in a
// descending walk or one resumed from a PageToken); pass the last one as
// ListActivitiesParams.Checkpoint to get only what is new since, late
// activities within the Lookback included.
func (c *Client) ListOrganizationActivities(ctx context.Context, organizationID string, params *ListActivitiesParams) *Pager[Activity] {
	if err := checkID("ListOrganizationActivities", "organizationID", organizationID); err != nil {
		return failed[Activity](err)
	}
	return c.listActivities(ctx, "ListOrganizationActivities", core.Path("organizations", organizationID, "activities"), params)
}

// ListWorkspaceActivities lists the activities of one workspace of an
// organization (GET /organizations/{organizationId}/workspaces/{workspaceId}/activities),
// like ListOrganizationActivities. The caller needs the workspace owner role.
func (c *Client) ListWorkspaceActivities(ctx context.Context, organizationID, workspaceID string, params *ListActivitiesParams) *Pager[Activity] {
	if err := checkID("ListWorkspaceActivities", "organizationID", organizationID); err != nil {
		return failed[Activity](err)
	}
	if err := checkID("ListWorkspaceActivities", "workspaceID", workspaceID); err != nil {
		return failed[Activity](err)
	}
	return c.listActivities(ctx, "ListWorkspaceActivities", core.Path("organizations", organizationID, "workspaces", workspaceID, "activities"), params)
}

// listActivities is the event feed behind both activity lists. Unless the
// order is descending or the walk resumes from a PageToken, every page
// carries a Checkpoint: the window of activities delivered (see
// ListActivitiesParams.Checkpoint).
func (c *Client) listActivities(ctx context.Context, op, path string, params *ListActivitiesParams) *Pager[Activity] {
	if params == nil {
		params = &ListActivitiesParams{}
	}
	const name = "ListActivitiesParams"
	q, err := listQuery(name, params.Filter, params.OrderBy, params.PageSize, true)
	if err != nil {
		return failed[Activity](err)
	}
	order := strings.Join(strings.Fields(params.OrderBy), " ")
	feed := order == "" || strings.EqualFold(order, OrderByActivityDateTimeAsc) || order == "activityDateTime"
	if params.Lookback < 0 {
		return failed[Activity](core.Invalid("workiva", name, "Lookback", "must not be negative (got %s); 0 means DefaultLookback", params.Lookback))
	}
	var ck *paging.Checkpoint
	op, scope := "workiva."+op, paging.Scope(c.core.BaseURL(), path)
	if params.Checkpoint != "" {
		if strings.TrimSpace(params.PageToken) != "" {
			return failed[Activity](core.Invalid("workiva", name, "Checkpoint", "cannot be combined with PageToken: set one (PageToken resumes one walk, Checkpoint continues the feed)"))
		}
		if !feed {
			return failed[Activity](core.Invalid("workiva", name, "OrderBy",
				"must be %q or empty to continue from a Checkpoint (got %q): a feed continues in ascending activityDateTime", OrderByActivityDateTimeAsc, params.OrderBy))
		}
		if ck, err = paging.DecodeCheckpoint(params.Checkpoint, op, scope); err != nil {
			return failed[Activity](core.Invalid("workiva", name, "Checkpoint", "%s", err.Error()))
		}
		if ck.Low != 0 {
			since := "activityDateTime ge " + time.Unix(0, ck.Low).UTC().Format(time.RFC3339Nano)
			if f := q.Get("$filter"); f != "" {
				since += " and (" + f + ")"
			}
			q.Set("$filter", since)
		}
	}
	if order == "" {
		q.Set("$orderBy", OrderByActivityDateTimeAsc)
	}
	size := cmp.Or(params.PageSize, MaxPageSize)
	decode := func(body []byte) ([]Activity, *string, error) { return decodeActivityPage(body, size) }
	if !feed || strings.TrimSpace(params.PageToken) != "" {
		// A descending walk cannot be continued, and one resumed from a
		// PageToken did not see what came before it: no checkpoints.
		return listOp(ctx, c, name, path, q, params.PageToken, decode)
	}
	base := listFetch(c, path, q, decode)
	lookback := cmp.Or(params.Lookback, DefaultLookback)
	key := func(a *Activity) (time.Time, uint64) { return a.ActivityDateTime, paging.HashID(a.ID) }
	return feedPager(ctx, c, "", paging.WindowFeed(base, ck, op, scope, params.Checkpoint, lookback, key))
}

// listPage is the envelope of every list answer; W is the type its items
// are decoded into.
type listPage[W any] struct {
	Data     []W     `json:"data"`
	NextLink *string `json:"@nextLink"`
}

// sameItems is the items conversion of a list whose wire type is its model.
func sameItems[T any](ws []T) []T { return ws }

// activities converts a decoded page of activities to the model.
func activities(ws []activityWire) []Activity {
	out := make([]Activity, len(ws))
	for i := range ws {
		out[i] = ws[i].model()
	}
	return out
}

// list builds the pager of one list operation. The page token is the raw
// @nextLink: a URL on the base host or a path is requested as is; anything
// else is an opaque token sent as $next on the same path with the same
// $filter, $orderBy and $maxpagesize. A link to another host ends the walk
// with an error wrapping ErrForeignLink. decode reads an answer's body into
// its items and @nextLink (see decodeStd, decodeActivityPage).
func listOp[T any](ctx context.Context, c *Client, params, path string, q url.Values, start string, decode func(body []byte) ([]T, *string, error)) *Pager[T] {
	start, err := c.startToken(params, path, start)
	if err != nil {
		return failed[T](err)
	}
	return (*Pager[T])(paging.List(ctx, start, c.core.ReadAhead(), listFetch(c, path, q, decode)))
}

// startToken checks a PageToken given to resume ("" when blank).
func (c *Client) startToken(params, path, start string) (string, error) {
	if strings.TrimSpace(start) == "" {
		return "", nil
	}
	if err := c.checkStartToken(params, path, start); err != nil {
		return "", err
	}
	return start, nil
}

// listFetch is the page fetch of listOp and of the activity feeds.
func listFetch[T any](c *Client, path string, q url.Values, decode func(body []byte) ([]T, *string, error)) paging.Fetch[T] {
	return func(ctx context.Context, token string) (*paging.Page[T], error) {
		req := &core.Request{Method: http.MethodGet, Path: path, Query: q}
		if token != "" {
			u, err := c.core.ResolveLink(token)
			if err != nil {
				return nil, err
			}
			if u != nil {
				req = &core.Request{Method: http.MethodGet, URL: u}
			} else {
				nq := maps.Clone(q)
				nq.Set("$next", token)
				req = &core.Request{Method: http.MethodGet, Path: path, Query: nq}
			}
		}
		out := pageDecoder[T]{decode: decode}
		if _, err := c.core.DoJSON(ctx, req, &out); err != nil {
			return nil, err
		}
		p := &paging.Page[T]{Items: out.items}
		if out.next != nil && strings.TrimSpace(*out.next) != "" {
			p.NextPageToken = *out.next
		}
		return p, nil
	}
}

// checkStartToken applies the @nextLink checks to a PageToken given to resume:
// a link must be on the client's host and name this operation's path.
func (c *Client) checkStartToken(params, path, token string) error {
	u, err := c.core.ResolveLink(token)
	if err != nil {
		return core.PageTokenError(core.Invalid("workiva", params, "PageToken",
			"is a link to another host than the client's base URL; not followed"), err)
	}
	if u == nil {
		if hasControl(token) {
			return core.Invalid("workiva", params, "PageToken", "must not contain control characters")
		}
		return nil
	}
	if !strings.HasSuffix(u.EscapedPath(), path) {
		return core.Invalid("workiva", params, "PageToken",
			"is a link to %s, not to this list (%s); pass the token to the operation that returned it", u.EscapedPath(), path)
	}
	return nil
}

// checkID refuses an id that cannot name a resource in a path: empty or
// blank, or "." or ".." (which percent-encoding does not save: URL
// normalisers turn "%2E%2E" back into a path step, so the request would
// reach another resource).
func checkID(op, field, id string) error {
	switch {
	case strings.TrimSpace(id) == "":
		return core.Invalid("workiva", op, field, "must not be empty")
	case id == "." || id == "..":
		return core.Invalid("workiva", op, field, "must not be %q: a URL normaliser would read it as a path step, even percent-encoded", id)
	}
	return nil
}
