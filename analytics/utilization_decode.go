package analytics

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// The lenient decoding of the utilization answers (see utilization_models.go
// for the rules): every model is read through an object, whose methods look
// a field up under its alternative names and read it as the shape expected,
// the zero value when it is something else.

// UnmarshalJSON reads a number, a numeric string, null, or an object with
// "value" (or "count", "current") and "change_pct". Any other shape leaves
// the Measure zero: the call does not fail over one figure.
func (m *Measure) UnmarshalJSON(b []byte) error {
	*m = Measure{}
	if v, ok := number(b); ok {
		m.Value = v
		return nil
	}
	o, _ := readObject(b)
	if v, ok := number(o.pick("value", "count", "current", "total")); ok {
		m.Value = v
	}
	if v, ok := number(o.pick("change_pct", "changePct")); ok {
		m.ChangePct = &v
	}
	return nil
}

// UnmarshalJSON reads {"id", "name"} or a plain string (the name).
func (r *Ref) UnmarshalJSON(b []byte) error {
	if s, ok := str(b); ok {
		*r = Ref{Name: s}
		return nil
	}
	o, _ := readObject(b)
	*r = Ref{ID: o.str("id", "uuid"), Name: o.str("name", "display_name", "label")}
	return nil
}

// UnmarshalJSON decodes a row leniently and keeps it in Raw. Only a row that
// is not a JSON object fails.
func (u *AppUtilization) UnmarshalJSON(b []byte) error {
	return decodeLenient(b, u, object.appUtilization)
}

// UnmarshalJSON decodes the summary leniently and keeps it in Raw. Only an
// answer that is not a JSON object fails.
func (s *AppUtilizationSummary) UnmarshalJSON(b []byte) error {
	return decodeLenient(b, s, object.summary)
}

// UnmarshalJSON decodes the rankings leniently and keeps them in Raw. Only an
// answer that is not a JSON object fails.
func (r *AppUtilizationRankings) UnmarshalJSON(b []byte) error {
	return decodeLenient(b, r, object.rankings)
}

// decodeLenient is the UnmarshalJSON of the utilization answers: b must be a
// JSON object or null (anything else is json's error, and *dst is left as it
// was); *dst becomes model of it.
func decodeLenient[T any](b []byte, dst *T, model func(object) T) error {
	o, err := readObject(b)
	if err != nil {
		return err
	}
	*dst = model(o)
	return nil
}

// object is a JSON object read leniently: its members by name, and the text
// it was read from.
type object struct {
	members map[string]json.RawMessage
	src     json.RawMessage
}

// readObject reads b as a JSON object. null gives an object without
// members; anything else that is not an object is an error, with an object
// without members.
func readObject(b json.RawMessage) (object, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return object{}, err
	}
	return object{members: members, src: b}, nil
}

// child returns the first of names that holds an object; ok is false when
// the member is absent, null or not an object (then the object is empty).
func (o object) child(names ...string) (object, bool) {
	c, err := readObject(o.pick(names...))
	return c, err == nil && c.members != nil
}

// raw returns a copy of the text o was read from, for a model's Raw.
func (o object) raw() json.RawMessage { return append(json.RawMessage(nil), o.src...) }

// pick returns the first of names present in o and not null, else nil.
func (o object) pick(names ...string) json.RawMessage {
	for _, n := range names {
		if v, ok := o.members[n]; ok && !bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			return v
		}
	}
	return nil
}

// str reads the first of names present as a string; "" when it is not one.
func (o object) str(names ...string) string {
	s, _ := str(o.pick(names...))
	return s
}

// measure reads the first of names present as a Measure.
func (o object) measure(names ...string) Measure {
	var m Measure
	if v := o.pick(names...); v != nil {
		_ = m.UnmarshalJSON(v)
	}
	return m
}

// boolean reads the first of names present as true/false (or
// "true"/"false"); anything else is nil.
func (o object) boolean(names ...string) *bool {
	b := o.pick(names...)
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

// period reads "period": {"start", "end"} (or "start_date", "end_date"); an
// unreadable period or date is zero.
func (o object) period() Period {
	p, _ := o.child("period")
	var out Period
	if s, ok := str(p.pick("start", "start_date")); ok {
		out.Start, _ = parseDate("period.start", s)
	}
	if s, ok := str(p.pick("end", "end_date")); ok {
		out.End, _ = parseDate("period.end", s)
	}
	return out
}

// app reads the app a row or a ranking slot describes: from its "app"
// object when it has one (nested is then true), else from o's own fields.
func (o object) app() (a App, nested bool) {
	if n, ok := o.child("app"); ok {
		return n.appFields(), true
	}
	return o.appFields(), false
}

// appFields reads an app from o's own fields.
func (o object) appFields() App {
	a := App{
		ID:         o.str("id", "app_id"),
		Name:       o.str("name", "canonical_name", "app_name"),
		IsApproved: o.boolean("is_approved", "approved"),
		IsFavorite: o.boolean("is_favorite", "favorite"),
	}
	if v := o.pick("vendor"); v != nil {
		_ = a.Vendor.UnmarshalJSON(v)
	} else if n, ok := str(o.pick("vendor_name")); ok {
		a.Vendor.Name = n
	}
	var cats []json.RawMessage
	if json.Unmarshal(o.pick("categories"), &cats) == nil {
		for _, c := range cats {
			var r Ref
			_ = r.UnmarshalJSON(c)
			a.Categories = append(a.Categories, r)
		}
	}
	return a
}

func (o object) appUtilization() AppUtilization {
	app, nested := o.app()
	if nested && app.ID == "" {
		app.ID = o.str("app_id", "id")
	}
	return AppUtilization{
		App:             app,
		UniqueUsers:     o.measure("unique_users", "user_count", "users"),
		ActiveTimeMS:    o.measure("active_time_ms", "active_time"),
		AvgTimeMSPerDay: o.measure("avg_time_ms_per_day"),
		SessionCount:    o.measure("session_count", "interactions", "sessions"),
		UsageLevel:      o.str("usage_level"),
		RiskLevel:       o.str("risk_level"),
		Raw:             o.raw(),
	}
}

func (o object) summary() AppUtilizationSummary {
	return AppUtilizationSummary{
		Period:         o.period(),
		TotalApps:      o.measure("total_apps", "apps_with_activity", "total_apps_with_activity"),
		DiscoveredApps: o.measure("discovered_apps", "discovered"),
		DroppedOffApps: o.measure("dropped_off_apps", "dropped_off"),
		Categories:     o.measure("categories", "category_count", "total_categories"),
		Users:          o.measure("users", "user_count", "total_users"),
		Departments:    o.measure("departments", "department_count", "total_departments"),
		Raw:            o.raw(),
	}
}

func (o object) rankings() AppUtilizationRankings {
	return AppUtilizationRankings{
		Period:         o.period(),
		ByInteractions: o.ranking("by_interactions", "by_sessions"),
		ByTime:         o.ranking("by_time", "by_active_time"),
		ByActiveUsers:  o.ranking("by_active_users", "by_users"),
		Raw:            o.raw(),
	}
}

// ranking reads the first of names that holds an object as a Ranking; zero
// when none does.
func (o object) ranking(names ...string) Ranking {
	r, _ := o.child(names...)
	return Ranking{
		Leader:          r.ranked("leader", "top"),
		BiggestIncrease: r.ranked("biggest_increase"),
		BiggestDecrease: r.ranked("biggest_decrease"),
	}
}

// ranked reads a slot; absent, null or not an object is nil.
func (o object) ranked(names ...string) *RankedApp {
	s, ok := o.child(names...)
	if !ok {
		return nil
	}
	app, _ := s.app()
	return &RankedApp{App: app, Metric: s.measure("metric", "value"), Raw: s.raw()}
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
