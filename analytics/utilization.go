package analytics

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/activitysdk/activity-go/internal/core"
)

// UtilizationFilter narrows ListAppUtilization to apps that appeared or
// disappeared in the period, sent as "filter".
type UtilizationFilter string

// The filters the API documents.
const (
	// FilterDiscovered keeps apps first seen in the period.
	FilterDiscovered UtilizationFilter = "discovered"
	// FilterDroppedOff keeps apps with earlier activity and none in the
	// period.
	FilterDroppedOff UtilizationFilter = "dropped_off"
)

// MaxUtilizationPageSize is the largest page_size the utilization lists
// accept.
const MaxUtilizationPageSize = 200

// maxFilterIDs bounds each multi-id filter, so that a request line stays
// far below common URL limits (200 UUIDs are 7.4 kB).
const maxFilterIDs = 200

// AppUtilizationParams selects the rows of ListAppUtilization. A nil
// *AppUtilizationParams is rejected: StartDate and EndDate are required.
type AppUtilizationParams struct {
	// Granularity ("granularity") changes only how AvgTimeMSPerDay is
	// computed. Empty means GranularityDaily; always sent.
	Granularity Granularity
	// StartDate and EndDate are the period ("start_date", "end_date",
	// YYYY-MM-DD, both included), their calendar dates as given. Required.
	StartDate, EndDate time.Time
	// CompareStartDate and CompareEndDate are an optional comparison period
	// ("compare_start_date", "compare_end_date"): give both or neither. With
	// them the rows' measures carry ChangePct.
	CompareStartDate, CompareEndDate time.Time
	// Filter keeps only discovered or dropped-off apps ("filter"); empty
	// means all apps with activity.
	Filter UtilizationFilter
	// Query searches the apps' canonical names ("q"); empty means no search.
	Query string
	// CategoryIDs, VendorIDs and DepartmentIDs keep apps in any of the given
	// categories, from any of the vendors, used in any of the departments
	// ("category_ids", "vendor_ids", "department_ids": comma-separated).
	// Each id must be a UUID; at most 200 per list.
	CategoryIDs, VendorIDs, DepartmentIDs []string
	// IsApproved keeps approved (true) or unapproved (false) apps
	// ("is_approved"); nil sends nothing.
	IsApproved *bool
	// IsFavorite keeps favourite (true) or other (false) apps
	// ("is_favorite"; the name is not confirmed by the readable
	// documentation); nil sends nothing.
	IsFavorite *bool
	// PageSize is the number of rows per page ("page_size"), 1 to
	// MaxUtilizationPageSize; 0 sends nothing (the API's default, 50).
	PageSize int
	// PageToken resumes a walk: a Page's NextPageToken (the API's
	// next_cursor, sent as "cursor"). Empty starts at the first page.
	PageToken string
}

// AppUtilizationSummaryParams selects GetAppUtilizationSummary's period and
// filters. A nil pointer is rejected: StartDate and EndDate are required.
type AppUtilizationSummaryParams struct {
	// Granularity ("granularity"): empty means GranularityDaily; always sent.
	Granularity Granularity
	// StartDate and EndDate are the period, both included. Required.
	StartDate, EndDate time.Time
	// CompareStartDate and CompareEndDate are an optional comparison period:
	// both or neither. With them every Measure carries ChangePct.
	CompareStartDate, CompareEndDate time.Time
	// IsApproved counts only approved (true) or unapproved (false) apps
	// ("is_approved"); nil sends nothing.
	IsApproved *bool
	// CategoryIDs and DepartmentIDs narrow the counts ("category_ids",
	// "department_ids", comma-separated UUIDs, at most 200 each).
	CategoryIDs, DepartmentIDs []string
}

// AppUtilizationRankingsParams selects GetAppUtilizationRankings's period and
// filters. A nil pointer is rejected: StartDate and EndDate are required.
type AppUtilizationRankingsParams struct {
	// Granularity ("granularity") is the unit of the per-unit averages of
	// ByInteractions and ByTime. Empty means GranularityDaily; always sent.
	Granularity Granularity
	// StartDate and EndDate are the period, both included. Required.
	StartDate, EndDate time.Time
	// CompareStartDate and CompareEndDate are an optional comparison period:
	// both or neither. Without them BiggestIncrease, BiggestDecrease and
	// every ChangePct are nil.
	CompareStartDate, CompareEndDate time.Time
	// CategoryIDs and DepartmentIDs narrow the ranking ("category_ids",
	// "department_ids", comma-separated UUIDs, at most 200 each).
	CategoryIDs, DepartmentIDs []string
}

// utilizationScope is the period and filters the utilization endpoints take,
// the union of the three params structs' fields: each converts itself to one
// and leaves the fields its endpoint does not take zero, which sends nothing.
type utilizationScope struct {
	params                                string // the params struct, for errors
	granularity                           Granularity
	start, end, compareStart, compareEnd  time.Time
	filter                                UtilizationFilter
	search                                string
	categoryIDs, vendorIDs, departmentIDs []string
	isApproved, isFavorite                *bool
}

// query validates s and returns it as query parameters: "granularity",
// "start_date" and "end_date" always, the others only when set.
func (s utilizationScope) query() (url.Values, error) {
	g := s.granularity
	if g == "" {
		g = GranularityDaily
	}
	if !g.valid() {
		return nil, invalid(s.params, "Granularity", "must be one of daily, weekly, monthly, quarterly (got %q)", string(g))
	}
	start, end, err := checkRange(s.params, "StartDate", "EndDate", s.start, s.end, true)
	if err != nil {
		return nil, err
	}
	cs, ce, err := checkRange(s.params, "CompareStartDate", "CompareEndDate", s.compareStart, s.compareEnd, false)
	if err != nil {
		return nil, err
	}
	q := url.Values{"granularity": {string(g)}, "start_date": {formatDate(start)}, "end_date": {formatDate(end)}}
	if !cs.IsZero() {
		q.Set("compare_start_date", formatDate(cs))
		q.Set("compare_end_date", formatDate(ce))
	}
	switch s.filter {
	case "":
	case FilterDiscovered, FilterDroppedOff:
		q.Set("filter", string(s.filter))
	default:
		return nil, invalid(s.params, "Filter", "must be empty, %q or %q (got %q)", FilterDiscovered, FilterDroppedOff, string(s.filter))
	}
	if s.search != "" {
		if problem := checkText(s.search); problem != "" {
			return nil, invalid(s.params, "Query", "%s", problem)
		}
		q.Set("q", s.search)
	}
	for _, f := range []struct {
		field, wire string
		ids         []string
	}{{"CategoryIDs", "category_ids", s.categoryIDs}, {"VendorIDs", "vendor_ids", s.vendorIDs}, {"DepartmentIDs", "department_ids", s.departmentIDs}} {
		if err := setIDs(q, s.params, f.field, f.wire, f.ids); err != nil {
			return nil, err
		}
	}
	setBool(q, "is_approved", s.isApproved)
	setBool(q, "is_favorite", s.isFavorite)
	return q, nil
}

// setIDs validates a multi-id filter and sets it as a comma-separated list.
func setIDs(q url.Values, params, field, name string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if len(ids) > maxFilterIDs {
		return invalid(params, field, "holds %d ids; at most %d are sent in one request", len(ids), maxFilterIDs)
	}
	for i, id := range ids {
		if !validUUID(id) {
			return invalid(params, field, "[%d] must be a UUID like 3f2b8c1e-0d4a-4e6b-9c7d-1a2b3c4d5e6f (got %q)", i, id)
		}
	}
	q.Set(name, strings.Join(ids, ","))
	return nil
}

func setBool(q url.Values, name string, v *bool) {
	if v != nil {
		q.Set(name, strconv.FormatBool(*v))
	}
}

func (p *AppUtilizationParams) query() (url.Values, error) {
	const name = "AppUtilizationParams"
	if p == nil {
		p = &AppUtilizationParams{}
	}
	q, err := utilizationScope{params: name, granularity: p.Granularity, start: p.StartDate, end: p.EndDate,
		compareStart: p.CompareStartDate, compareEnd: p.CompareEndDate, filter: p.Filter, search: p.Query,
		categoryIDs: p.CategoryIDs, vendorIDs: p.VendorIDs, departmentIDs: p.DepartmentIDs,
		isApproved: p.IsApproved, isFavorite: p.IsFavorite}.query()
	if err != nil {
		return nil, err
	}
	if p.PageSize < 0 || p.PageSize > MaxUtilizationPageSize {
		return nil, invalid(name, "PageSize", "must be between 1 and %d, or 0 for the API's default of 50 (got %d)", MaxUtilizationPageSize, p.PageSize)
	}
	if p.PageSize > 0 {
		q.Set("page_size", strconv.Itoa(p.PageSize))
	}
	if problem := checkText(p.PageToken); problem != "" {
		return nil, invalid(name, "PageToken", "%s; pass a NextPageToken as it was given", problem)
	}
	return q, nil
}

// maxTextLen bounds free text sent in a query (a search, a cursor).
const maxTextLen = 4096

// checkText refuses text that is not valid UTF-8, holds control characters
// or is longer than maxTextLen bytes; it returns the problem, "" if none.
func checkText(s string) string {
	if len(s) > maxTextLen {
		return "is longer than 4096 bytes"
	}
	if !utf8ValidNoControl(s) {
		return "must be valid UTF-8 without control characters"
	}
	return ""
}

func (p *AppUtilizationSummaryParams) query() (url.Values, error) {
	if p == nil {
		p = &AppUtilizationSummaryParams{}
	}
	return utilizationScope{params: "AppUtilizationSummaryParams", granularity: p.Granularity, start: p.StartDate, end: p.EndDate,
		compareStart: p.CompareStartDate, compareEnd: p.CompareEndDate,
		categoryIDs: p.CategoryIDs, departmentIDs: p.DepartmentIDs, isApproved: p.IsApproved}.query()
}

func (p *AppUtilizationRankingsParams) query() (url.Values, error) {
	if p == nil {
		p = &AppUtilizationRankingsParams{}
	}
	return utilizationScope{params: "AppUtilizationRankingsParams", granularity: p.Granularity, start: p.StartDate, end: p.EndDate,
		compareStart: p.CompareStartDate, compareEnd: p.CompareEndDate,
		categoryIDs: p.CategoryIDs, departmentIDs: p.DepartmentIDs}.query()
}

// ListAppUtilization walks the app utilization list of a client
// organisation: GET /clients/{client_id}/analytics/apps/utilization, one row
// per app with its usage over the period (see AppUtilization), paged by the
// API's cursor.
//
// Each page's NextPageToken is the answer's next_cursor; the walk ends when
// an answer has none (null, absent or empty), never on total_count alone.
// Page.Total is the answer's total_count (nil when absent). A token stored
// from NextPageToken, set as PageToken with the same other params, resumes
// the walk at the following page, even in another process.
//
// clientID must be a UUID. Bad params are a *ValidationError on the first
// iteration, before any request. A failed page yields its error once (an
// *APIError for a non-2xx answer) and ends the walk.
func (c *Client) ListAppUtilization(ctx context.Context, clientID string, params *AppUtilizationParams) *Pager[AppUtilization] {
	if err := checkIDs("ListAppUtilization", "clientID", clientID); err != nil {
		return failed[AppUtilization](err)
	}
	base, err := params.query()
	if err != nil {
		return failed[AppUtilization](err)
	}
	path := core.Path("clients", clientID, "analytics", "apps", "utilization")
	fetch := func(ctx context.Context, token string) (*Page[AppUtilization], error) {
		q := base
		if token != "" {
			q = maps.Clone(base)
			q.Set("cursor", token)
		}
		var out struct {
			Data       []AppUtilization `json:"data"`
			TotalCount *int             `json:"total_count"`
			NextCursor *string          `json:"next_cursor"`
		}
		if _, err := c.core.DoJSON(ctx, &core.Request{Method: http.MethodGet, Path: path, Query: q}, &out); err != nil {
			return nil, err
		}
		page := &Page[AppUtilization]{Items: out.Data, Total: out.TotalCount}
		if out.NextCursor != nil {
			page.NextPageToken = *out.NextCursor
		}
		return page, nil
	}
	start := ""
	if params != nil {
		start = params.PageToken
	}
	return list(ctx, c, start, fetch)
}

// GetAppUtilizationSummary returns the app utilization summary of a client
// organisation: GET /clients/{client_id}/analytics/apps/utilization/summary,
// flat counts over the period (apps with activity, discovered, dropped off,
// categories, users, departments), each with ChangePct when a comparison
// period is sent. Not paged.
//
// clientID must be a UUID; bad params are a *ValidationError before any
// request; a non-2xx answer is an *APIError.
func (c *Client) GetAppUtilizationSummary(ctx context.Context, clientID string, params *AppUtilizationSummaryParams) (*AppUtilizationSummary, error) {
	return getUtilization[AppUtilizationSummary](ctx, c, "GetAppUtilizationSummary", clientID, "summary", params.query)
}

// GetAppUtilizationRankings returns the app utilization rankings of a client
// organisation: GET /clients/{client_id}/analytics/apps/utilization/rankings.
// For each of three measures (sessions and active time per granularity unit,
// distinct users over the period) it names the leading app and, when a
// comparison period is sent, the apps that rose and fell most. Not paged.
//
// clientID must be a UUID; bad params are a *ValidationError before any
// request; a non-2xx answer is an *APIError.
func (c *Client) GetAppUtilizationRankings(ctx context.Context, clientID string, params *AppUtilizationRankingsParams) (*AppUtilizationRankings, error) {
	return getUtilization[AppUtilizationRankings](ctx, c, "GetAppUtilizationRankings", clientID, "rankings", params.query)
}

// getUtilization serves the unpaged utilization reports,
// GET /clients/{clientID}/analytics/apps/utilization/{report}: it checks
// clientID and the params (query) before any request and decodes the answer
// into a T.
func getUtilization[T any](ctx context.Context, c *Client, op, clientID, report string, query func() (url.Values, error)) (*T, error) {
	if err := checkIDs(op, "clientID", clientID); err != nil {
		return nil, err
	}
	q, err := query()
	if err != nil {
		return nil, err
	}
	var out T
	path := core.Path("clients", clientID, "analytics", "apps", "utilization", report)
	if _, err := c.core.DoJSON(ctx, &core.Request{Method: http.MethodGet, Path: path, Query: q}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
