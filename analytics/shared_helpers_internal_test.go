package analytics

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestObjectReaders pins the lenient reader every utilization model goes
// through: which alternative name wins, and what a value of the wrong shape
// reads as.
func TestObjectReaders(t *testing.T) {
	t.Parallel()
	o, err := readObject(json.RawMessage(`{"a":null,"b":"x","c":7,"d":"12.5","e":{"value":3,"change_pct":-1},
		"t":"true","f":false,"n":[1],"obj":{"k":"v"},"nul":null,"period":{"start_date":"2026-02-01","end":"2026-02-03T10:00:00Z"}}`))
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		got  any
		want any
	}{
		{"pick skips null", string(o.pick("a", "b")), `"x"`},
		{"pick none", o.pick("zz", "a"), json.RawMessage(nil)},
		{"str first present", o.str("a", "b", "c"), "x"},
		{"str of a number is empty", o.str("c", "b"), ""},
		{"measure number", o.measure("c"), Measure{Value: 7}},
		{"measure numeric string", o.measure("d"), Measure{Value: 12.5}},
		{"measure object", o.measure("e"), Measure{Value: 3, ChangePct: ptrTo(-1.0)}},
		{"measure absent", o.measure("zz"), Measure{}},
		{"measure wrong shape", o.measure("n"), Measure{}},
		{"boolean string", o.boolean("t"), ptrTo(true)},
		{"boolean", o.boolean("f"), ptrTo(false)},
		{"boolean wrong shape", o.boolean("c"), (*bool)(nil)},
		{"period alternatives", o.period(), Period{Start: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)}},
	} {
		assert.Equal(t, tc.want, tc.got, tc.name)
	}

	c, ok := o.child("nul", "obj")
	assert.True(t, ok, "child skips null")
	assert.Equal(t, "v", c.str("k"))
	assert.JSONEq(t, `{"k":"v"}`, string(c.raw()))
	for _, name := range []string{"n", "b", "nul", "zz"} {
		c, ok := o.child(name)
		assert.False(t, ok, name)
		assert.Nil(t, c.members, name)
	}

	raw := o.raw()
	raw[0] = 'X'
	assert.Equal(t, byte('{'), o.src[0], "raw is a copy")

	_, err = readObject(json.RawMessage(`"s"`))
	assert.Error(t, err)
	null, err := readObject(json.RawMessage(`null`))
	require.NoError(t, err)
	assert.Equal(t, Period{}, null.period())
}

// TestObjectApp pins where an app is read from: the nested "app" object,
// whose missing id a row (not a ranking slot) takes from its own fields.
func TestObjectApp(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		in     string
		row    App // as an AppUtilization row
		ranked App // as a ranking slot
	}{
		{"nested", `{"id":"row","app":{"id":"nested","name":"N"}}`, App{ID: "nested", Name: "N"}, App{ID: "nested", Name: "N"}},
		{"nested without id", `{"app_id":"row","app":{"name":"N"}}`, App{ID: "row", Name: "N"}, App{Name: "N"}},
		{"flat", `{"app_id":"row","app_name":"F","vendor_name":"V","categories":["c",{"uuid":"u","label":"L"}],"approved":"false"}`,
			App{ID: "row", Name: "F", Vendor: Ref{Name: "V"}, Categories: []Ref{{Name: "c"}, {ID: "u", Name: "L"}}, IsApproved: ptrTo(false)},
			App{ID: "row", Name: "F", Vendor: Ref{Name: "V"}, Categories: []Ref{{Name: "c"}, {ID: "u", Name: "L"}}, IsApproved: ptrTo(false)}},
		{"app not an object", `{"app":"x","name":"Own"}`, App{Name: "Own"}, App{Name: "Own"}},
	} {
		o, err := readObject(json.RawMessage(tc.in))
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.row, o.appUtilization().App, tc.name)
		slot, err := readObject(json.RawMessage(`{"s":` + tc.in + `}`))
		require.NoError(t, err)
		r := slot.ranked("s")
		require.NotNil(t, r, tc.name)
		assert.Equal(t, tc.ranked, r.App, tc.name)
		assert.JSONEq(t, tc.in, string(r.Raw), tc.name)
	}
}

// TestDecodeLeaveDestinationOnError pins the two decoders' all-or-nothing
// contract: a value that fails leaves the destination as it was.
func TestDecodeLeaveDestinationOnError(t *testing.T) {
	t.Parallel()
	before := Period{Start: d(2020, 1, 1), End: d(2020, 1, 2)}
	for _, in := range []string{`{"start":"2026-01-01","end":"bad"}`, `{"start":"bad"}`, `[1]`} {
		p := before
		assert.Error(t, p.UnmarshalJSON([]byte(in)), in)
		assert.Equal(t, before, p, in)
	}
	pt := DataPoint{Date: d(2020, 1, 1), Value: 4}
	assert.Error(t, pt.UnmarshalJSON([]byte(`{"date":"2026-1-1","value":5}`)))
	assert.Equal(t, DataPoint{Date: d(2020, 1, 1), Value: 4}, pt)
	require.NoError(t, pt.UnmarshalJSON([]byte(`{"date":"2026-01-03","value":5}`)))
	assert.Equal(t, DataPoint{Date: d(2026, 1, 3), Value: 5}, pt)

	s := AppUtilizationSummary{Raw: json.RawMessage(`{}`)}
	assert.Error(t, decodeLenient([]byte(`"x"`), &s, object.summary))
	assert.Equal(t, AppUtilizationSummary{Raw: json.RawMessage(`{}`)}, s)
}

// TestUtilizationScopeQuery pins what each utilization params struct sends
// through the shared scope: only its own fields, and the first problem in
// the documented order.
func TestUtilizationScopeQuery(t *testing.T) {
	t.Parallel()
	const id = "3f2b8c1e-0d4a-4e6b-9c7d-1a2b3c4d5e6f"
	yes := true
	start, end := d(2026, 3, 1), d(2026, 3, 31)
	for _, tc := range []struct {
		name  string
		query func() (url.Values, error)
		want  string
	}{
		{"summary", (&AppUtilizationSummaryParams{StartDate: start, EndDate: end, IsApproved: &yes, CategoryIDs: []string{id}}).query,
			"category_ids=" + id + "&end_date=2026-03-31&granularity=daily&is_approved=true&start_date=2026-03-01"},
		{"rankings", (&AppUtilizationRankingsParams{Granularity: GranularityWeekly, StartDate: start, EndDate: end,
			CompareStartDate: d(2026, 2, 1), CompareEndDate: d(2026, 2, 28), DepartmentIDs: []string{id, id}}).query,
			"compare_end_date=2026-02-28&compare_start_date=2026-02-01&department_ids=" + id + "%2C" + id + "&end_date=2026-03-31&granularity=weekly&start_date=2026-03-01"},
		{"list", (&AppUtilizationParams{StartDate: start, EndDate: end, Filter: FilterDroppedOff, Query: "a b", VendorIDs: []string{id},
			IsFavorite: &yes, PageSize: 5}).query,
			"end_date=2026-03-31&filter=dropped_off&granularity=daily&is_favorite=true&page_size=5&q=a+b&start_date=2026-03-01&vendor_ids=" + id},
	} {
		q, err := tc.query()
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, q.Encode(), tc.name)
	}

	for _, tc := range []struct {
		name  string
		query func() (url.Values, error)
		field string
	}{
		{"nil summary", (*AppUtilizationSummaryParams)(nil).query, "AppUtilizationSummaryParams.StartDate"},
		{"nil rankings", (*AppUtilizationRankingsParams)(nil).query, "AppUtilizationRankingsParams.StartDate"},
		{"granularity first", (&AppUtilizationParams{Granularity: "x", Filter: "y"}).query, "AppUtilizationParams.Granularity"},
		{"filter before query", (&AppUtilizationParams{StartDate: start, EndDate: end, Filter: "y", Query: "\x00"}).query, "AppUtilizationParams.Filter"},
		{"query before ids", (&AppUtilizationParams{StartDate: start, EndDate: end, Query: "\x00", CategoryIDs: []string{"x"}}).query, "AppUtilizationParams.Query"},
		{"categories before departments", (&AppUtilizationRankingsParams{StartDate: start, EndDate: end, CategoryIDs: []string{"x"}, DepartmentIDs: []string{"y"}}).query, "AppUtilizationRankingsParams.CategoryIDs"},
		{"ids before page size", (&AppUtilizationParams{StartDate: start, EndDate: end, DepartmentIDs: []string{"x"}, PageSize: -1}).query, "AppUtilizationParams.DepartmentIDs"},
		{"compare both or neither", (&AppUtilizationSummaryParams{StartDate: start, EndDate: end, CompareEndDate: end}).query, "AppUtilizationSummaryParams.CompareStartDate"},
	} {
		_, err := tc.query()
		require.Error(t, err, tc.name)
		assert.Contains(t, err.Error(), "analytics: "+tc.field+":", tc.name)
	}
}

// TestSeriesParams pins what each activity endpoint's params carry into the
// shared fetch: the default metric, the path segment and the range limit.
func TestSeriesParams(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		got                seriesParams
		name, metric, kind string
		maxDays            int
	}{
		{(*UserActivityParams)(nil).series(), "UserActivityParams", MetricActivityCount, "users", MaxRangeDays},
		{(*DeviceActivityParams)(nil).series(), "DeviceActivityParams", MetricActivityCount, "devices", 0},
		{(*AppActivityParams)(nil).series(), "AppActivityParams", MetricActiveTime, "apps", 0},
	} {
		assert.Equal(t, tc.name, tc.got.name)
		assert.Equal(t, tc.metric, tc.got.defaultMetric, tc.name)
		assert.Equal(t, tc.kind, tc.got.kind, tc.name)
		p := tc.got
		p.start, p.end = d(2026, 1, 1), d(2026, 12, 31)
		r, err := p.validate()
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.maxDays, r.maxDays, tc.name)
		assert.Equal(t, tc.metric, r.metric, tc.name)
	}
}

func ptrTo[T any](v T) *T { return &v }
