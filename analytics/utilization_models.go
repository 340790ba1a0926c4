package analytics

import "encoding/json"

// The utilization answers' field names are only partly documented (the
// notes mark them UNCERTAIN): every model here is decoded leniently, by the
// UnmarshalJSON methods in utilization_decode.go. A field is looked up under
// its documented or most likely name and a few known alternatives; a value
// of an unexpected shape is left at its zero value instead of failing the
// call; and the whole object is kept in Raw, so a field this version does
// not map can still be read.

// Measure is one utilization figure with its change against the comparison
// period. The API writes a figure either as a bare number or as an object
// {"value": N, "change_pct": P}; both decode here.
type Measure struct {
	// Value is the figure ("value", or the bare number); its unit is given on
	// the field that holds the Measure.
	Value float64
	// ChangePct is the change against the comparison period in percent
	// ("change_pct": 12.5 means +12.5 %); nil when no comparison period was
	// sent or the API reports none.
	ChangePct *float64
}

// MarshalJSON writes {"value": N, "change_pct": P or null}.
func (m Measure) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Value     float64  `json:"value"`
		ChangePct *float64 `json:"change_pct"`
	}{m.Value, m.ChangePct})
}

// Ref is a named catalogue entry (a vendor, a category): an object
// {"id", "name"} or just a name.
type Ref struct {
	// ID is the entry's id ("id"), a UUID; empty when the API sent only a
	// name.
	ID string `json:"id,omitempty"`
	// Name is its display name ("name").
	Name string `json:"name,omitempty"`
}

// App is an app of the catalogue, as utilization answers carry it.
type App struct {
	// ID is the app's id ("id", or the row's "app_id"), a UUID: pass it to
	// GetAppActivity.
	ID string `json:"id"`
	// Name is the app's canonical name ("name", or "canonical_name").
	Name string `json:"name"`
	// Vendor is the app's vendor ("vendor": an object or a name); zero when
	// absent.
	Vendor Ref `json:"vendor"`
	// Categories are the app's categories ("categories"), nil when absent.
	Categories []Ref `json:"categories"`
	// IsApproved says whether the organisation approved the app
	// ("is_approved"); nil when not reported.
	IsApproved *bool `json:"is_approved"`
	// IsFavorite says whether the app is marked a favourite
	// ("is_favorite"); nil when not reported.
	IsFavorite *bool `json:"is_favorite"`
}

// AppUtilization is one row of ListAppUtilization: an app and its usage over
// the requested period. Times are MILLISECONDS.
type AppUtilization struct {
	// App is the app ("app" when the row nests it, else the row's own "id",
	// "name", "vendor", "categories", "is_approved", "is_favorite").
	App App `json:"app"`
	// UniqueUsers is the number of distinct users of the app over the period
	// ("unique_users", or "user_count", "users").
	UniqueUsers Measure `json:"unique_users"`
	// ActiveTimeMS is the active time over the period, summed over users, in
	// milliseconds ("active_time_ms", or "active_time").
	ActiveTimeMS Measure `json:"active_time_ms"`
	// AvgTimeMSPerDay is the average active time per day in milliseconds
	// ("avg_time_ms_per_day"); the request's granularity changes how the API
	// computes it.
	AvgTimeMSPerDay Measure `json:"avg_time_ms_per_day"`
	// SessionCount is the number of sessions over the period
	// ("session_count", or "interactions", "sessions").
	SessionCount Measure `json:"session_count"`
	// UsageLevel is the API's usage classification ("usage_level"), as sent;
	// its values are not documented.
	UsageLevel string `json:"usage_level,omitempty"`
	// RiskLevel is the API's risk classification ("risk_level"), as sent.
	RiskLevel string `json:"risk_level,omitempty"`
	// Raw is the row as the API sent it.
	Raw json.RawMessage `json:"-"`
}

// AppUtilizationSummary is GetAppUtilizationSummary's answer: flat counts
// over the requested period, each with its change against the comparison
// period when one was sent.
type AppUtilizationSummary struct {
	// Period is the period the counts cover ("period"); zero when the API
	// sent none or a shape this version does not read (see Raw).
	Period Period `json:"period"`
	// TotalApps is the number of apps with activity in the period
	// ("total_apps", or "apps_with_activity").
	TotalApps Measure `json:"total_apps"`
	// DiscoveredApps is the number of apps first seen in the period
	// ("discovered_apps", or "discovered").
	DiscoveredApps Measure `json:"discovered_apps"`
	// DroppedOffApps is the number of apps with earlier activity and none in
	// the period ("dropped_off_apps", or "dropped_off").
	DroppedOffApps Measure `json:"dropped_off_apps"`
	// Categories is the number of app categories in use ("categories", or
	// "category_count", "total_categories").
	Categories Measure `json:"categories"`
	// Users is the number of users with app activity ("users", or
	// "user_count", "total_users").
	Users Measure `json:"users"`
	// Departments is the number of departments with app activity
	// ("departments", or "department_count", "total_departments").
	Departments Measure `json:"departments"`
	// Raw is the answer as the API sent it.
	Raw json.RawMessage `json:"-"`
}

// AppUtilizationRankings is GetAppUtilizationRankings's answer: for each of
// three measures, the leading app and, with a comparison period, the apps
// whose figure rose and fell most.
type AppUtilizationRankings struct {
	// Period is the period ranked ("period"); zero when absent or unreadable.
	Period Period `json:"period"`
	// ByInteractions ranks by average sessions per granularity unit
	// ("by_interactions").
	ByInteractions Ranking `json:"by_interactions"`
	// ByTime ranks by average active time per granularity unit, in
	// milliseconds ("by_time").
	ByTime Ranking `json:"by_time"`
	// ByActiveUsers ranks by distinct users over the whole period
	// ("by_active_users"; the granularity does not apply).
	ByActiveUsers Ranking `json:"by_active_users"`
	// Raw is the answer as the API sent it.
	Raw json.RawMessage `json:"-"`
}

// Ranking holds one measure's named slots. BiggestIncrease and
// BiggestDecrease are nil unless a comparison period was sent.
type Ranking struct {
	// Leader is the app with the highest figure ("leader"); nil when no app
	// had activity.
	Leader *RankedApp `json:"leader"`
	// BiggestIncrease is the app whose figure rose most against the
	// comparison period ("biggest_increase").
	BiggestIncrease *RankedApp `json:"biggest_increase"`
	// BiggestDecrease is the app whose figure fell most ("biggest_decrease").
	BiggestDecrease *RankedApp `json:"biggest_decrease"`
}

// RankedApp is an app in a ranking slot.
type RankedApp struct {
	// App is the app ("app", or the slot's own "id" and "name").
	App App `json:"app"`
	// Metric is the figure it is ranked by ("metric"; a bare "value" is read
	// too), with its change_pct when a comparison period was sent.
	Metric Measure `json:"metric"`
	// Raw is the slot as the API sent it.
	Raw json.RawMessage `json:"-"`
}
