package analytics_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/analytics/analyticstest"
)

const utilPath = "/v2/clients/" + analyticstest.ClientID + "/analytics/apps/utilization"

func ptr[T any](v T) *T { return &v }

func TestListAppUtilizationExactRequest(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	params := &analytics.AppUtilizationParams{
		Granularity: analytics.GranularityWeekly,
		StartDate:   date(2026, 1, 1), EndDate: date(2026, 3, 31),
		CompareStartDate: date(2025, 10, 1), CompareEndDate: date(2025, 12, 31),
		Filter:        analytics.FilterDiscovered,
		Query:         "chat & co",
		CategoryIDs:   []string{analyticstest.CategoryID(0), analyticstest.CategoryID(5)},
		VendorIDs:     []string{analyticstest.VendorID(1)},
		DepartmentIDs: []string{analyticstest.DepartmentID(0), analyticstest.DepartmentID(1), analyticstest.DepartmentID(3)},
		IsApproved:    ptr(true),
		IsFavorite:    ptr(false),
		PageSize:      25,
	}
	_, err := c.ListAppUtilization(context.Background(), analyticstest.ClientID, params).Collect()
	require.NoError(t, err)
	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	r := reqs[0]
	assert.Equal(t, http.MethodGet, r.Method)
	assert.Equal(t, utilPath, r.RawPath)
	assert.Equal(t, url.Values{
		"granularity": {"weekly"}, "start_date": {"2026-01-01"}, "end_date": {"2026-03-31"},
		"compare_start_date": {"2025-10-01"}, "compare_end_date": {"2025-12-31"},
		"filter": {"discovered"}, "q": {"chat & co"},
		"category_ids":   {analyticstest.CategoryID(0) + "," + analyticstest.CategoryID(5)},
		"vendor_ids":     {analyticstest.VendorID(1)},
		"department_ids": {analyticstest.DepartmentID(0) + "," + analyticstest.DepartmentID(1) + "," + analyticstest.DepartmentID(3)},
		"is_approved":    {"true"}, "is_favorite": {"false"}, "page_size": {"25"},
	}, r.Query)
	assert.Contains(t, r.RawQuery, "category_ids="+analyticstest.CategoryID(0)+"%2C"+analyticstest.CategoryID(5), "one parameter, commas escaped")
	assert.Contains(t, r.RawQuery, "q=chat+%26+co")
	assert.Equal(t, "Bearer "+analyticstest.Token, r.Header.Get("Authorization"))
}

func TestListAppUtilizationMinimalRequest(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, analyticstest.WithApps(3))
	_, err := c.ListAppUtilization(context.Background(), analyticstest.ClientID,
		&analytics.AppUtilizationParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 31)}).Collect()
	require.NoError(t, err)
	r, _ := srv.LastRequest()
	assert.Equal(t, url.Values{"granularity": {"daily"}, "start_date": {"2026-01-01"}, "end_date": {"2026-01-31"}}, r.Query,
		"granularity always; nothing else unless set")
}

// utilIDs walks the list and returns the app ids page by page, with each
// page's token and total.
func utilWalk(t *testing.T, c *analytics.Client, p *analytics.AppUtilizationParams) (ids [][]string, tokens []string, totals []int) {
	t.Helper()
	for page, err := range c.ListAppUtilization(context.Background(), analyticstest.ClientID, p).Pages() {
		require.NoError(t, err)
		var pageIDs []string
		for _, it := range page.Items {
			pageIDs = append(pageIDs, it.App.ID)
		}
		ids = append(ids, pageIDs)
		tokens = append(tokens, page.NextPageToken)
		require.NotNil(t, page.Total)
		totals = append(totals, *page.Total)
	}
	return ids, tokens, totals
}

func flat(pages [][]string) []string {
	var out []string
	for _, p := range pages {
		out = append(out, p...)
	}
	return out
}

func TestListAppUtilizationPagedWalkAndResume(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	base := analytics.AppUtilizationParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 3, 31)}

	all := base
	all.PageSize = analytics.MaxUtilizationPageSize
	one, _, totals := utilWalk(t, c, &all)
	require.Len(t, one, 1, "every app fits one page of 200")
	want := one[0]
	require.Greater(t, len(want), 50, "most of the 120 apps are in use")
	assert.Equal(t, []int{len(want)}, totals)

	srv.ResetRequests()
	small := base
	small.PageSize = 7
	pages, tokens, totals := utilWalk(t, c, &small)
	assert.Equal(t, want, flat(pages), "the same rows in the same order, none lost or repeated")
	assert.Len(t, pages, (len(want)+6)/7)
	for i, tot := range totals {
		assert.Equal(t, len(want), tot, "Page.Total is total_count on page %d", i)
	}
	assert.Equal(t, "", tokens[len(tokens)-1], "the last page has no next token")
	reqs := srv.Requests()
	require.Len(t, reqs, len(pages))
	assert.False(t, reqs[0].Query.Has("cursor"))
	for i := 1; i < len(reqs); i++ {
		assert.Equal(t, tokens[i-1], reqs[i].Query.Get("cursor"), "page %d asks for the previous next_cursor", i)
		assert.Equal(t, "7", reqs[i].Query.Get("page_size"))
		assert.Equal(t, "2026-01-01", reqs[i].Query.Get("start_date"), "every page carries the params")
	}

	// Resume in "another process": a new client and a stored token.
	_, c2 := newFake(t)
	resume := small
	resume.PageToken = tokens[2]
	rest, _, _ := utilWalk(t, c2, &resume)
	assert.Equal(t, flat(pages[3:]), flat(rest), "resuming after page 3 gives exactly the rest")
}

func TestListAppUtilizationUnderFaults(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	p := &analytics.AppUtilizationParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 31), PageSize: 20}
	want, _, _ := utilWalk(t, c, p)
	srv.FailRandomly(0.4, 7, analyticstest.AllFaults(time.Millisecond, time.Millisecond)...)
	got, err := c.ListAppUtilization(context.Background(), analyticstest.ClientID, p).Collect()
	require.NoError(t, err)
	var ids []string
	for _, it := range got {
		ids = append(ids, it.App.ID)
	}
	assert.Equal(t, flat(want), ids)
}

func TestListAppUtilizationDecodesRows(t *testing.T) {
	t.Parallel()
	_, c := newFake(t, analyticstest.WithApps(12))
	rows, err := c.ListAppUtilization(context.Background(), analyticstest.ClientID, &analytics.AppUtilizationParams{
		StartDate: date(2026, 2, 2), EndDate: date(2026, 2, 8), CompareStartDate: date(2026, 1, 26), CompareEndDate: date(2026, 2, 1),
	}).Collect()
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	for _, r := range rows {
		var i int
		for i = 0; i < 12 && analyticstest.GeneratedAppID(i) != r.App.ID; i++ {
		}
		require.Less(t, i, 12, r.App.ID)
		info := analyticstest.App(i)
		assert.Equal(t, info.Name, r.App.Name)
		assert.Equal(t, analyticstest.VendorID(info.Vendor), r.App.Vendor.ID)
		assert.NotEmpty(t, r.App.Vendor.Name)
		require.Len(t, r.App.Categories, 1)
		assert.Equal(t, analyticstest.CategoryID(info.Category), r.App.Categories[0].ID)
		assert.Equal(t, ptr(info.Approved), r.App.IsApproved)
		assert.Equal(t, ptr(info.Favorite), r.App.IsFavorite)
		var users, sessions, ms float64
		for d := date(2026, 2, 2); !d.After(date(2026, 2, 8)); d = d.AddDate(0, 0, 1) {
			users = max(users, analyticstest.AppValue(analyticstest.ClientID, r.App.ID, "user-count", d))
			sessions += analyticstest.AppValue(analyticstest.ClientID, r.App.ID, "session-count", d)
			ms += analyticstest.AppValue(analyticstest.ClientID, r.App.ID, "active-time", d)
		}
		assert.Equal(t, users, r.UniqueUsers.Value)
		assert.Equal(t, sessions, r.SessionCount.Value)
		assert.Equal(t, ms, r.ActiveTimeMS.Value)
		assert.Positive(t, r.AvgTimeMSPerDay.Value)
		assert.Contains(t, []string{"low", "medium", "high"}, r.UsageLevel)
		assert.Contains(t, []string{"low", "medium", "high"}, r.RiskLevel)
		assert.True(t, json.Valid(r.Raw))
		assert.Contains(t, string(r.Raw), `"avg_time_ms_per_day"`)
	}
	withChange := 0
	for _, r := range rows {
		if r.ActiveTimeMS.ChangePct != nil {
			withChange++
		}
	}
	assert.Positive(t, withChange, "a comparison period gives change percentages")
}

// The notes mark the row fields UNCERTAIN: every field decodes from its
// documented shape and the known alternatives, and the row is kept raw.
func TestAppUtilizationLenientDecode(t *testing.T) {
	t.Parallel()
	nested := `{"app":{"id":"a0000000-0000-4000-a000-000000000001","name":"Chat 1","vendor":{"id":"b0000000-0000-4000-a000-000000000001","name":"Northwind"},
		"categories":[{"id":"c0000000-0000-4000-a000-000000000001","name":"Communication"},"AI"],"is_approved":false,"is_favorite":true},
		"unique_users":{"value":12,"change_pct":-25.5},"active_time_ms":{"value":7200000,"change_pct":null},
		"avg_time_ms_per_day":360000.5,"session_count":{"value":40},"usage_level":"high","risk_level":"medium","extra":{"x":1}}`
	var u analytics.AppUtilization
	require.NoError(t, json.Unmarshal([]byte(nested), &u))
	assert.Equal(t, analytics.App{ID: "a0000000-0000-4000-a000-000000000001", Name: "Chat 1",
		Vendor:     analytics.Ref{ID: "b0000000-0000-4000-a000-000000000001", Name: "Northwind"},
		Categories: []analytics.Ref{{ID: "c0000000-0000-4000-a000-000000000001", Name: "Communication"}, {Name: "AI"}},
		IsApproved: ptr(false), IsFavorite: ptr(true)}, u.App)
	assert.Equal(t, analytics.Measure{Value: 12, ChangePct: ptr(-25.5)}, u.UniqueUsers)
	assert.Equal(t, analytics.Measure{Value: 7200000}, u.ActiveTimeMS)
	assert.Equal(t, analytics.Measure{Value: 360000.5}, u.AvgTimeMSPerDay)
	assert.Equal(t, analytics.Measure{Value: 40}, u.SessionCount)
	assert.Equal(t, "high", u.UsageLevel)
	assert.Equal(t, "medium", u.RiskLevel)
	assert.JSONEq(t, nested, string(u.Raw))

	flatRow := `{"app_id":"a0000000-0000-4000-a000-000000000002","canonical_name":"Docs 1","vendor":"Contoso","user_count":"3",
		"active_time":99,"interactions":{"count":5,"change_pct":"10"},"usage_level":{"unexpected":true},"is_approved":"true"}`
	require.NoError(t, json.Unmarshal([]byte(flatRow), &u))
	assert.Equal(t, analytics.App{ID: "a0000000-0000-4000-a000-000000000002", Name: "Docs 1", Vendor: analytics.Ref{Name: "Contoso"},
		IsApproved: ptr(true)}, u.App)
	assert.Equal(t, analytics.Measure{Value: 3}, u.UniqueUsers)
	assert.Equal(t, analytics.Measure{Value: 99}, u.ActiveTimeMS)
	assert.Equal(t, analytics.Measure{Value: 5, ChangePct: ptr(10.0)}, u.SessionCount)
	assert.Equal(t, "", u.UsageLevel, "an unexpected shape is left empty, not an error")
	assert.Equal(t, analytics.Measure{}, u.AvgTimeMSPerDay)

	weird := `{"unique_users":"lots","active_time_ms":[1,2],"session_count":null,"categories":"x","vendor":7}`
	require.NoError(t, json.Unmarshal([]byte(weird), &u))
	assert.Equal(t, analytics.AppUtilization{Raw: json.RawMessage(weird)}, u)

	assert.Error(t, json.Unmarshal([]byte(`[1]`), &u), "a row that is not an object fails")

	b, err := json.Marshal(analytics.Measure{Value: 2})
	require.NoError(t, err)
	assert.JSONEq(t, `{"value":2,"change_pct":null}`, string(b))
}

func TestListAppUtilizationFollowsEmptyPageAndStopsOnNullCursor(t *testing.T) {
	t.Parallel()
	c, mt := mockClient(t)
	u := "https://api.example.com/v2/clients/" + analyticstest.ClientID + "/analytics/apps/utilization"
	mt.RegisterResponder(http.MethodGet, u, func(r *http.Request) (*http.Response, error) {
		switch r.URL.Query().Get("cursor") {
		case "":
			return httpmock.NewStringResponse(200, `{"period":{"start":"2026-01-01","end":"2026-01-31"},"data":[],"total_count":2,"next_cursor":"c1"}`), nil
		case "c1":
			return httpmock.NewStringResponse(200, `{"data":[{"app":{"id":"x1"}}],"total_count":2,"next_cursor":"c2"}`), nil
		case "c2":
			return httpmock.NewStringResponse(200, `{"data":[{"app":{"id":"x2"}}],"next_cursor":null}`), nil
		}
		return httpmock.NewStringResponse(500, `{}`), nil
	})
	var ids []string
	var totals []*int
	for page, err := range c.ListAppUtilization(context.Background(), analyticstest.ClientID,
		&analytics.AppUtilizationParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 31)}).Pages() {
		require.NoError(t, err)
		for _, it := range page.Items {
			ids = append(ids, it.App.ID)
		}
		totals = append(totals, page.Total)
	}
	assert.Equal(t, []string{"x1", "x2"}, ids, "an empty page with a cursor is followed; a null cursor ends the walk")
	assert.Equal(t, []*int{ptr(2), nil}, totals, "Total is nil when total_count is absent")
	assert.Equal(t, 3, mt.GetTotalCallCount())
}

func TestUtilizationValidation(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()
	list := func(p *analytics.AppUtilizationParams) error {
		_, err := c.ListAppUtilization(ctx, analyticstest.ClientID, p).Collect()
		return err
	}
	ok := func(f func(p *analytics.AppUtilizationParams)) *analytics.AppUtilizationParams {
		p := &analytics.AppUtilizationParams{StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 31)}
		f(p)
		return p
	}
	many := make([]string, 201)
	for i := range many {
		many[i] = analyticstest.CategoryID(0)
	}
	for _, tc := range []struct {
		name              string
		err               error
		params, field, in string
	}{
		{"nil params", list(nil), "AppUtilizationParams", "StartDate", "is required"},
		{"client id", func() error {
			_, err := c.ListAppUtilization(ctx, "nope", ok(func(*analytics.AppUtilizationParams) {})).Collect()
			return err
		}(), "ListAppUtilization", "clientID", `(got "nope")`},
		{"compare start only", list(ok(func(p *analytics.AppUtilizationParams) { p.CompareStartDate = date(2025, 12, 1) })), "AppUtilizationParams", "CompareEndDate", "is required when CompareStartDate is set: give both or neither"},
		{"compare end only", list(ok(func(p *analytics.AppUtilizationParams) { p.CompareEndDate = date(2025, 12, 1) })), "AppUtilizationParams", "CompareStartDate", "give both or neither"},
		{"compare reversed", list(ok(func(p *analytics.AppUtilizationParams) {
			p.CompareStartDate, p.CompareEndDate = date(2025, 12, 31), date(2025, 12, 1)
		})), "AppUtilizationParams", "CompareEndDate", "2025-12-01 is before CompareStartDate 2025-12-31"},
		{"page size high", list(ok(func(p *analytics.AppUtilizationParams) { p.PageSize = 201 })), "AppUtilizationParams", "PageSize", "between 1 and 200"},
		{"page size negative", list(ok(func(p *analytics.AppUtilizationParams) { p.PageSize = -1 })), "AppUtilizationParams", "PageSize", "(got -1)"},
		{"category not uuid", list(ok(func(p *analytics.AppUtilizationParams) {
			p.CategoryIDs = []string{analyticstest.CategoryID(0), "a,b"}
		})), "AppUtilizationParams", "CategoryIDs", `[1] must be a UUID`},
		{"vendor empty", list(ok(func(p *analytics.AppUtilizationParams) { p.VendorIDs = []string{""} })), "AppUtilizationParams", "VendorIDs", `[0] must be a UUID`},
		{"departments too many", list(ok(func(p *analytics.AppUtilizationParams) { p.DepartmentIDs = many })), "AppUtilizationParams", "DepartmentIDs", "holds 201 ids; at most 200"},
		{"filter", list(ok(func(p *analytics.AppUtilizationParams) { p.Filter = "new" })), "AppUtilizationParams", "Filter", `(got "new")`},
		{"query control", list(ok(func(p *analytics.AppUtilizationParams) { p.Query = "a\nb" })), "AppUtilizationParams", "Query", "control characters"},
		{"token control", list(ok(func(p *analytics.AppUtilizationParams) { p.PageToken = "a\x00" })), "AppUtilizationParams", "PageToken", "control characters"},
		{"granularity", list(ok(func(p *analytics.AppUtilizationParams) { p.Granularity = "yearly" })), "AppUtilizationParams", "Granularity", `(got "yearly")`},
		{"summary compare", func() error {
			_, err := c.GetAppUtilizationSummary(ctx, analyticstest.ClientID, &analytics.AppUtilizationSummaryParams{
				StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 31), CompareStartDate: date(2025, 1, 1)})
			return err
		}(), "AppUtilizationSummaryParams", "CompareEndDate", "give both or neither"},
		{"summary department", func() error {
			_, err := c.GetAppUtilizationSummary(ctx, analyticstest.ClientID, &analytics.AppUtilizationSummaryParams{
				StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 31), DepartmentIDs: []string{"x"}})
			return err
		}(), "AppUtilizationSummaryParams", "DepartmentIDs", "must be a UUID"},
		{"summary nil", func() error { _, err := c.GetAppUtilizationSummary(ctx, analyticstest.ClientID, nil); return err }(), "AppUtilizationSummaryParams", "StartDate", "is required"},
		{"summary client", func() error {
			_, err := c.GetAppUtilizationSummary(ctx, "", &analytics.AppUtilizationSummaryParams{})
			return err
		}(), "GetAppUtilizationSummary", "clientID", "must be a UUID"},
		{"rankings compare", func() error {
			_, err := c.GetAppUtilizationRankings(ctx, analyticstest.ClientID, &analytics.AppUtilizationRankingsParams{
				StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 31), CompareEndDate: date(2025, 1, 1)})
			return err
		}(), "AppUtilizationRankingsParams", "CompareStartDate", "give both or neither"},
		{"rankings category", func() error {
			_, err := c.GetAppUtilizationRankings(ctx, analyticstest.ClientID, &analytics.AppUtilizationRankingsParams{
				StartDate: date(2026, 1, 1), EndDate: date(2026, 1, 31), CategoryIDs: []string{strings.ToUpper(analyticstest.CategoryID(1)), "{x}"}})
			return err
		}(), "AppUtilizationRankingsParams", "CategoryIDs", `[1] must be a UUID`},
		{"rankings client", func() error {
			_, err := c.GetAppUtilizationRankings(ctx, "x", &analytics.AppUtilizationRankingsParams{})
			return err
		}(), "GetAppUtilizationRankings", "clientID", "must be a UUID"},
	} {
		var ve *analytics.ValidationError
		require.ErrorAs(t, tc.err, &ve, tc.name)
		assert.Equal(t, tc.params, ve.Params, tc.name)
		assert.Equal(t, tc.field, ve.Field, tc.name)
		assert.Contains(t, tc.err.Error(), tc.in, tc.name)
	}
	assert.Zero(t, srv.RequestCount(), "no request before validation passes")
}

func TestGetAppUtilizationSummary(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()
	p := &analytics.AppUtilizationSummaryParams{StartDate: date(2026, 2, 1), EndDate: date(2026, 2, 28),
		IsApproved: ptr(true), CategoryIDs: []string{analyticstest.CategoryID(1), analyticstest.CategoryID(2)}}
	s, err := c.GetAppUtilizationSummary(ctx, analyticstest.ClientID, p)
	require.NoError(t, err)
	r, _ := srv.LastRequest()
	assert.Equal(t, utilPath+"/summary", r.RawPath)
	assert.Equal(t, url.Values{"granularity": {"daily"}, "start_date": {"2026-02-01"}, "end_date": {"2026-02-28"}, "is_approved": {"true"},
		"category_ids": {analyticstest.CategoryID(1) + "," + analyticstest.CategoryID(2)}}, r.Query)

	// The summary agrees with the list over the same apps.
	rows, err := c.ListAppUtilization(ctx, analyticstest.ClientID, &analytics.AppUtilizationParams{StartDate: p.StartDate, EndDate: p.EndDate,
		IsApproved: p.IsApproved, CategoryIDs: p.CategoryIDs, PageSize: 200}).Collect()
	require.NoError(t, err)
	var users float64
	cats := map[string]bool{}
	for _, row := range rows {
		users += row.UniqueUsers.Value
		cats[row.App.Categories[0].ID] = true
	}
	assert.Equal(t, float64(len(rows)), s.TotalApps.Value)
	assert.Equal(t, users, s.Users.Value)
	assert.Equal(t, float64(len(cats)), s.Categories.Value)
	assert.Positive(t, s.Departments.Value)
	assert.Equal(t, analytics.Period{Start: date(2026, 2, 1), End: date(2026, 2, 28)}, s.Period)
	for _, m := range []analytics.Measure{s.TotalApps, s.DiscoveredApps, s.DroppedOffApps, s.Categories, s.Users, s.Departments} {
		assert.Nil(t, m.ChangePct, "no comparison period: change_pct null")
	}
	assert.Contains(t, string(s.Raw), `"total_apps"`)

	discovered, err := c.ListAppUtilization(ctx, analyticstest.ClientID, &analytics.AppUtilizationParams{StartDate: p.StartDate, EndDate: p.EndDate,
		IsApproved: p.IsApproved, CategoryIDs: p.CategoryIDs, Filter: analytics.FilterDiscovered}).Collect()
	require.NoError(t, err)
	assert.Equal(t, float64(len(discovered)), s.DiscoveredApps.Value)
	dropped, err := c.ListAppUtilization(ctx, analyticstest.ClientID, &analytics.AppUtilizationParams{StartDate: p.StartDate, EndDate: p.EndDate,
		IsApproved: p.IsApproved, CategoryIDs: p.CategoryIDs, Filter: analytics.FilterDroppedOff}).Collect()
	require.NoError(t, err)
	assert.Equal(t, float64(len(dropped)), s.DroppedOffApps.Value)

	p.CompareStartDate, p.CompareEndDate = date(2026, 1, 1), date(2026, 1, 31)
	s, err = c.GetAppUtilizationSummary(ctx, analyticstest.ClientID, p)
	require.NoError(t, err)
	r, _ = srv.LastRequest()
	assert.Equal(t, "2026-01-01", r.Query.Get("compare_start_date"))
	assert.Equal(t, "2026-01-31", r.Query.Get("compare_end_date"))
	assert.NotNil(t, s.TotalApps.ChangePct, "a comparison period gives change_pct")

	_, err = c.GetAppUtilizationSummary(ctx, analyticstest.ForbiddenClientID, p)
	assert.True(t, errors.Is(err, analytics.ErrForbidden), "%v", err)
}

func TestGetAppUtilizationRankings(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := context.Background()
	p := &analytics.AppUtilizationRankingsParams{Granularity: analytics.GranularityWeekly, StartDate: date(2026, 2, 2), EndDate: date(2026, 3, 1),
		DepartmentIDs: []string{analyticstest.DepartmentID(2)}}
	rk, err := c.GetAppUtilizationRankings(ctx, analyticstest.ClientID, p)
	require.NoError(t, err)
	r, _ := srv.LastRequest()
	assert.Equal(t, utilPath+"/rankings", r.RawPath)
	assert.Equal(t, url.Values{"granularity": {"weekly"}, "start_date": {"2026-02-02"}, "end_date": {"2026-03-01"},
		"department_ids": {analyticstest.DepartmentID(2)}}, r.Query)

	rows, err := c.ListAppUtilization(ctx, analyticstest.ClientID, &analytics.AppUtilizationParams{StartDate: p.StartDate, EndDate: p.EndDate,
		DepartmentIDs: p.DepartmentIDs, PageSize: 200}).Collect()
	require.NoError(t, err)
	var best analytics.AppUtilization
	for _, row := range rows {
		// The fake breaks ties by the lower app id.
		if v := row.UniqueUsers.Value; v > best.UniqueUsers.Value || (v == best.UniqueUsers.Value && row.App.ID < best.App.ID) {
			best = row
		}
	}
	require.NotNil(t, rk.ByActiveUsers.Leader)
	assert.Equal(t, best.App.ID, rk.ByActiveUsers.Leader.App.ID)
	assert.Equal(t, best.App.Name, rk.ByActiveUsers.Leader.App.Name)
	assert.Equal(t, best.UniqueUsers.Value, rk.ByActiveUsers.Leader.Metric.Value)
	require.NotNil(t, rk.ByTime.Leader)
	require.NotNil(t, rk.ByInteractions.Leader)
	for _, rg := range []analytics.Ranking{rk.ByInteractions, rk.ByTime, rk.ByActiveUsers} {
		assert.Nil(t, rg.BiggestIncrease, "no comparison: no biggest increase")
		assert.Nil(t, rg.BiggestDecrease)
		assert.Nil(t, rg.Leader.Metric.ChangePct)
		assert.True(t, json.Valid(rg.Leader.Raw))
	}
	assert.Equal(t, analytics.Period{Start: date(2026, 2, 2), End: date(2026, 3, 1)}, rk.Period)

	p.CompareStartDate, p.CompareEndDate = date(2026, 1, 5), date(2026, 2, 1)
	rk, err = c.GetAppUtilizationRankings(ctx, analyticstest.ClientID, p)
	require.NoError(t, err)
	for _, rg := range []analytics.Ranking{rk.ByInteractions, rk.ByTime, rk.ByActiveUsers} {
		require.NotNil(t, rg.BiggestIncrease)
		require.NotNil(t, rg.BiggestDecrease)
		require.NotNil(t, rg.BiggestIncrease.Metric.ChangePct)
		require.NotNil(t, rg.BiggestDecrease.Metric.ChangePct)
		assert.GreaterOrEqual(t, *rg.BiggestIncrease.Metric.ChangePct, *rg.BiggestDecrease.Metric.ChangePct)
	}
}

func TestRankingsLenientDecode(t *testing.T) {
	t.Parallel()
	body := `{"period":{"start_date":"2026-01-01","end_date":"2026-01-31"},
		"by_interactions":{"leader":{"id":"x","name":"Chat","value":3.5},"biggest_increase":null},
		"by_time":{"leader":null},"by_active_users":"n/a","unknown_slot":{}}`
	var r analytics.AppUtilizationRankings
	require.NoError(t, json.Unmarshal([]byte(body), &r))
	assert.Equal(t, analytics.Period{Start: date(2026, 1, 1), End: date(2026, 1, 31)}, r.Period)
	require.NotNil(t, r.ByInteractions.Leader)
	assert.Equal(t, analytics.App{ID: "x", Name: "Chat"}, r.ByInteractions.Leader.App)
	assert.Equal(t, analytics.Measure{Value: 3.5}, r.ByInteractions.Leader.Metric)
	assert.Nil(t, r.ByInteractions.BiggestIncrease)
	assert.Equal(t, analytics.Ranking{}, r.ByTime)
	assert.Equal(t, analytics.Ranking{}, r.ByActiveUsers)
	assert.JSONEq(t, body, string(r.Raw))

	var s analytics.AppUtilizationSummary
	require.NoError(t, json.Unmarshal([]byte(`{"period":{"start":"bad"},"apps_with_activity":4,"discovered":{"value":1,"change_pct":100},"dropped_off":0,
		"category_count":2,"total_users":9,"department_count":{"count":3}}`), &s))
	assert.Equal(t, analytics.Period{}, s.Period, "an unreadable period is zero, not an error")
	assert.Equal(t, 4.0, s.TotalApps.Value)
	assert.Equal(t, analytics.Measure{Value: 1, ChangePct: ptr(100.0)}, s.DiscoveredApps)
	assert.Equal(t, 2.0, s.Categories.Value)
	assert.Equal(t, 9.0, s.Users.Value)
	assert.Equal(t, 3.0, s.Departments.Value)
}
