package analytics

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// The utilization answers' field names are only partly documented (the
// notes mark them UNCERTAIN): every model here is decoded leniently. A field
// is looked up under its documented or most likely name and a few known
// alternatives; a value of an unexpected shape is left at its zero value
// instead of failing the call; and the whole object is kept in Raw, so a
// field this version does not map can still be read.

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

// UnmarshalJSON reads a number, a numeric string, null, or an object with
// "value" (or "count", "current") and "change_pct". Any other shape leaves
// the Measure zero: the call does not fail over one figure.
func (m *Measure) UnmarshalJSON(b []byte) error {
	*m = Measure{}
	if v, ok := number(b); ok {
		m.Value = v
		return nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) != nil {
		return nil
	}
	if v, ok := number(pick(obj, "value", "count", "current", "total")); ok {
		m.Value = v
	}
	if v, ok := number(pick(obj, "change_pct", "changePct")); ok {
		m.ChangePct = &v
	}
	return nil
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

// UnmarshalJSON reads {"id", "name"} or a plain string (the name).
func (r *Ref) UnmarshalJSON(b []byte) error {
	*r = Ref{}
	if s, ok := str(b); ok {
		r.Name = s
		return nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) != nil {
		return nil
	}
	r.ID, _ = str(pick(obj, "id", "uuid"))
	r.Name, _ = str(pick(obj, "name", "display_name", "label"))
	return nil
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

// decodeApp reads an app from obj's fields.
func decodeApp(obj map[string]json.RawMessage) App {
	var a App
	a.ID, _ = str(pick(obj, "id", "app_id"))
	a.Name, _ = str(pick(obj, "name", "canonical_name", "app_name"))
	if v := pick(obj, "vendor"); v != nil {
		_ = a.Vendor.UnmarshalJSON(v)
	} else if n, ok := str(pick(obj, "vendor_name")); ok {
		a.Vendor.Name = n
	}
	var cats []json.RawMessage
	if json.Unmarshal(pick(obj, "categories"), &cats) == nil {
		for _, c := range cats {
			var r Ref
			_ = r.UnmarshalJSON(c)
			a.Categories = append(a.Categories, r)
		}
	}
	a.IsApproved = boolean(pick(obj, "is_approved", "approved"))
	a.IsFavorite = boolean(pick(obj, "is_favorite", "favorite"))
	return a
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

// UnmarshalJSON decodes a row leniently and keeps it in Raw. Only a row that
// is not a JSON object fails.
func (u *AppUtilization) UnmarshalJSON(b []byte) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	*u = AppUtilization{Raw: append(json.RawMessage(nil), b...)}
	var nested map[string]json.RawMessage
	if json.Unmarshal(pick(obj, "app"), &nested) == nil && nested != nil {
		u.App = decodeApp(nested)
		if u.App.ID == "" {
			u.App.ID, _ = str(pick(obj, "app_id", "id"))
		}
	} else {
		u.App = decodeApp(obj)
	}
	measure(obj, &u.UniqueUsers, "unique_users", "user_count", "users")
	measure(obj, &u.ActiveTimeMS, "active_time_ms", "active_time")
	measure(obj, &u.AvgTimeMSPerDay, "avg_time_ms_per_day")
	measure(obj, &u.SessionCount, "session_count", "interactions", "sessions")
	u.UsageLevel, _ = str(pick(obj, "usage_level"))
	u.RiskLevel, _ = str(pick(obj, "risk_level"))
	return nil
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

// UnmarshalJSON decodes the summary leniently and keeps it in Raw.
func (s *AppUtilizationSummary) UnmarshalJSON(b []byte) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	*s = AppUtilizationSummary{Raw: append(json.RawMessage(nil), b...)}
	s.Period = lenientPeriod(pick(obj, "period"))
	measure(obj, &s.TotalApps, "total_apps", "apps_with_activity", "total_apps_with_activity")
	measure(obj, &s.DiscoveredApps, "discovered_apps", "discovered")
	measure(obj, &s.DroppedOffApps, "dropped_off_apps", "dropped_off")
	measure(obj, &s.Categories, "categories", "category_count", "total_categories")
	measure(obj, &s.Users, "users", "user_count", "total_users")
	measure(obj, &s.Departments, "departments", "department_count", "total_departments")
	return nil
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

// UnmarshalJSON decodes the rankings leniently and keeps them in Raw.
func (r *AppUtilizationRankings) UnmarshalJSON(b []byte) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	*r = AppUtilizationRankings{Raw: append(json.RawMessage(nil), b...)}
	r.Period = lenientPeriod(pick(obj, "period"))
	r.ByInteractions = decodeRanking(pick(obj, "by_interactions", "by_sessions"))
	r.ByTime = decodeRanking(pick(obj, "by_time", "by_active_time"))
	r.ByActiveUsers = decodeRanking(pick(obj, "by_active_users", "by_users"))
	return nil
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

func decodeRanking(b json.RawMessage) Ranking {
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) != nil {
		return Ranking{}
	}
	return Ranking{
		Leader:          decodeRanked(pick(obj, "leader", "top")),
		BiggestIncrease: decodeRanked(pick(obj, "biggest_increase")),
		BiggestDecrease: decodeRanked(pick(obj, "biggest_decrease")),
	}
}

// decodeRanked reads a slot; null, absent or not an object is nil.
func decodeRanked(b json.RawMessage) *RankedApp {
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) != nil || obj == nil {
		return nil
	}
	r := &RankedApp{Raw: append(json.RawMessage(nil), b...)}
	var nested map[string]json.RawMessage
	if json.Unmarshal(pick(obj, "app"), &nested) == nil && nested != nil {
		r.App = decodeApp(nested)
	} else {
		r.App = decodeApp(obj)
	}
	measure(obj, &r.Metric, "metric", "value")
	return r
}

// pick returns the first of names present in obj and not null, else nil.
func pick(obj map[string]json.RawMessage, names ...string) json.RawMessage {
	for _, n := range names {
		if v, ok := obj[n]; ok && !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			return v
		}
	}
	return nil
}

func measure(obj map[string]json.RawMessage, m *Measure, names ...string) {
	if v := pick(obj, names...); v != nil {
		_ = m.UnmarshalJSON(v)
	}
}

// number reads a JSON number or a string holding one.
func number(b json.RawMessage) (float64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var f float64
	if json.Unmarshal(b, &f) == nil {
		return f, true
	}
	if s, ok := str(b); ok {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f, true
		}
	}
	return 0, false
}

func str(b json.RawMessage) (string, bool) {
	var s string
	if len(b) == 0 || json.Unmarshal(b, &s) != nil {
		return "", false
	}
	return s, true
}

// boolean reads true/false (or "true"/"false"); anything else is nil.
func boolean(b json.RawMessage) *bool {
	var v bool
	if len(b) > 0 && json.Unmarshal(b, &v) == nil {
		return &v
	}
	if s, ok := str(b); ok {
		if v, err := strconv.ParseBool(s); err == nil {
			return &v
		}
	}
	return nil
}

// lenientPeriod reads {"start", "end"} (or "start_date", "end_date"); an
// unreadable period is zero.
func lenientPeriod(b json.RawMessage) Period {
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) != nil {
		return Period{}
	}
	var p Period
	if s, ok := str(pick(obj, "start", "start_date")); ok {
		p.Start, _ = parseDate("period.start", s)
	}
	if s, ok := str(pick(obj, "end", "end_date")); ok {
		p.End, _ = parseDate("period.end", s)
	}
	return p
}
