package workiva

import (
	"net/url"
	"strings"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
)

// MaxPageSize is the largest $maxpagesize the API accepts, and its default.
const MaxPageSize = 1000

// Sort orders for OrderBy. The API sorts activities by activityDateTime only.
const (
	OrderByActivityDateTimeAsc  = "activityDateTime asc"
	OrderByActivityDateTimeDesc = "activityDateTime desc"
)

// ListActivitiesParams are the parameters of ListOrganizationActivities and
// ListWorkspaceActivities. A nil *ListActivitiesParams means all activities
// in ascending activityDateTime, in the server's default page size.
type ListActivitiesParams struct {
	// Filter is sent literally as $filter ("" sends none). Build it with the
	// Filter helpers (ActionAlias, ActivityDateTime, And, ...) and pass its
	// String(), or write the grammar yourself, e.g.
	//   action.alias in ('user_login', 'user_logout') and activityDateTime ge 2026-01-01T00:00:00Z
	// The String() of a misused builder (an In with no values, a reversed
	// Between, ...) carries its error: the walk yields it as a
	// *ValidationError on the first iteration and sends nothing. With a
	// Checkpoint, the walk sends
	//   activityDateTime ge <the checkpoint's window start> and (<Filter>)
	Filter string
	// OrderBy is sent literally as $orderBy: use OrderByActivityDateTimeAsc
	// or OrderByActivityDateTimeDesc. "" sends OrderByActivityDateTimeAsc,
	// the order a feed continues in. With a Checkpoint, anything but ""
	// or ascending activityDateTime is a *ValidationError; a descending walk
	// cannot be continued, so its pages carry no Checkpoint.
	OrderBy string
	// PageSize is sent as $maxpagesize, 1..1000. 0 sends none, so the server
	// uses its default, which is the maximum (1000).
	PageSize int
	// PageToken resumes a walk: the NextPageToken of a page from an earlier
	// walk with the same parameters ("" starts at the beginning). It is the
	// page's raw @nextLink: a URL on the client's host, a path, or an opaque
	// $next token. PageToken and Checkpoint are exclusive.
	PageToken string
	// Checkpoint continues the feed: the Checkpoint of a page from an
	// earlier walk of the same operation and organization (and workspace),
	// on the same host; "" starts at the beginning. The walk re-reads from
	// the checkpoint's window start (the Lookback before the newest
	// activity it covers) in ascending activityDateTime and drops, by id,
	// the activities the checkpoint covers, so it yields every activity
	// not yet delivered exactly once, late ones included when their
	// activityDateTime is within the lookback. An activity that appears with
	// an activityDateTime earlier than that window is never delivered by a
	// continuing walk: set a longer Lookback from the first run on if your
	// organization's activities can arrive later than that. A checkpoint of another operation,
	// organization, workspace or host, or a corrupt or oversized one, is a
	// *ValidationError on the first iteration, before any request.
	Checkpoint string
	// Lookback is how far before the newest activity delivered a continuing
	// walk re-reads for late arrivals; 0 means DefaultLookback. A
	// checkpoint remembers at most 1,024 activity ids: when the lookback
	// holds more activities, it is shortened to the newest 1,024. The window
	// never moves back: a longer Lookback does not re-read what the window of
	// an earlier checkpoint let go.
	Lookback time.Duration
}

// DefaultLookback is the lookback of ListOrganizationActivities and
// ListWorkspaceActivities when ListActivitiesParams.Lookback is 0: an
// activity recorded up to an hour after a later one is still delivered.
const DefaultLookback = time.Hour

// ListActivityActionsParams are the parameters of ListActivityActions. A nil
// *ListActivityActionsParams means every action in the server's default order.
type ListActivityActionsParams struct {
	// OrderBy is sent literally as $orderBy ("" sends none).
	OrderBy string
	// PageSize is sent as $maxpagesize, 1..1000. 0 sends none (server default
	// 1000, the maximum).
	PageSize int
	// PageToken resumes a walk; see ListActivitiesParams.PageToken.
	PageToken string
}

// listQuery validates the shared list parameters and builds the query sent
// with the first page (and with every opaque $next token).
func listQuery(params, filter, orderBy string, pageSize int, hasFilter bool) (url.Values, error) {
	if pageSize < 0 || pageSize > MaxPageSize {
		return nil, core.Invalid("workiva", params, "PageSize", "must be between 1 and %d, or 0 for the server default (got %d)", MaxPageSize, pageSize)
	}
	if hasFilter && filter != "" {
		if msg, ok := strings.CutPrefix(filter, invalidFilterMark); ok {
			return nil, core.Invalid("workiva", params, "Filter", "was built with an error: %s", msg)
		}
		if strings.TrimSpace(filter) == "" {
			return nil, core.Invalid("workiva", params, "Filter", "is blank; leave it empty for no filter")
		}
		if hasControl(filter) {
			return nil, core.Invalid("workiva", params, "Filter", "must not contain control characters")
		}
	}
	if orderBy != "" {
		if strings.TrimSpace(orderBy) == "" {
			return nil, core.Invalid("workiva", params, "OrderBy", "is blank; leave it empty for the default order")
		}
		if hasControl(orderBy) {
			return nil, core.Invalid("workiva", params, "OrderBy", "must not contain control characters")
		}
	}
	if !hasFilter {
		filter = ""
	}
	return core.Query(listWire{Filter: filter, OrderBy: orderBy, MaxPageSize: pageSize})
}

// listWire is the query of the list operations. The names start with "$"
// and are sent literally (see core.EncodeQuery); "$orderBy" has a capital B.
type listWire struct {
	Filter      string `url:"$filter,omitempty"`
	OrderBy     string `url:"$orderBy,omitempty"`
	MaxPageSize int    `url:"$maxpagesize,omitempty"`
}

func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}
