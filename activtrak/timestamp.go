package activtrak

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
)

// timestampLayouts are the shapes a timestamp is read in, tried in order. A
// fractional second after the seconds is accepted by every layout that has
// seconds (time.Parse allows it even when the layout does not show one).
var timestampLayouts = []string{
	time.RFC3339,                // 2024-06-03T08:44:51Z, 2024-06-03T08:44:51.994+02:00
	"2006-01-02T15:04:05",       // 2024-06-03T08:44:51, 2024-06-03T08:44:51.994
	"2006-01-02T15:04:05Z0700",  // 2024-06-03T08:44:51+0200
	"2006-01-02T15:04:05Z07",    // 2024-06-03T08:44:51+02
	"2006-01-02 15:04:05Z07:00", // 2024-06-03 08:44:51+02:00
	"2006-01-02 15:04:05",       // 2024-06-03 08:44:51
	"2006-01-02T15:04Z07:00",    // 2024-06-03T08:44Z
	"2006-01-02T15:04",          // 2024-06-03T08:44
	"2006-01-02",                // 2024-06-03
}

// parseTimestamp reads an ActivTrak timestamp leniently. A value without an
// offset is taken as UTC. ok is false for a value in none of the shapes.
func parseTimestamp(s string) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	// A lower-case "t" or "z" is valid RFC 3339.
	s = strings.Replace(s, "t", "T", 1)
	if strings.HasSuffix(s, "z") {
		s = s[:len(s)-1] + "Z"
	}
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// lenientTime decodes a JSON timestamp without ever failing: null, "", a
// number or an unreadable string leave the zero time, so one odd value does
// not fail a whole page.
type lenientTime struct{ t time.Time }

func (l *lenientTime) UnmarshalJSON(b []byte) error {
	// Fast path: a plain quoted string (timestamps have no escapes).
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b, '\\') < 0 {
		l.t, _ = parseTimestamp(string(b[1 : len(b)-1]))
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) != nil {
		l.t = time.Time{}
		return nil
	}
	l.t, _ = parseTimestamp(s)
	return nil
}

// wireModel is a model's wire type W: a pointer to it decodes a JSON value
// (with the model's lenient fields) and gives the model M.
type wireModel[W, M any] interface {
	*W
	model() M
}

// unmarshalVia decodes b as the wire type W and stores its model in dst.
// The model types' UnmarshalJSON methods use it: W embeds the model as a
// type without methods, so decoding it does not recurse.
func unmarshalVia[W any, M any, PW wireModel[W, M]](b []byte, dst *M) error {
	var w W
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*dst = PW(&w).model()
	return nil
}

// workingHoursWire decodes a row without calling WorkingHours.UnmarshalJSON
// (plainWorkingHours has no methods), reading the timestamps leniently.
type workingHoursWire struct {
	plainWorkingHours
	Date            lenientTime `json:"date"`
	FirstActivity   lenientTime `json:"firstActivity"`
	LastActivity    lenientTime `json:"lastActivity"`
	LastActivityLog lenientTime `json:"lastActivityLog"`
}

type plainWorkingHours WorkingHours

func (w *workingHoursWire) model() WorkingHours {
	m := WorkingHours(w.plainWorkingHours)
	m.Date, m.FirstActivity = w.Date.t, w.FirstActivity.t
	m.LastActivity, m.LastActivityLog = w.LastActivity.t, w.LastActivityLog.t
	return m
}

// activityLogWire decodes a record without calling
// ActivityLogEntry.UnmarshalJSON, reading the date leniently. Pages are
// decoded into it directly: one pass over the body instead of two.
type activityLogWire struct {
	plainActivityLogEntry
	Date    lenientTime `json:"date"`
	Time    lenientTime `json:"time"`
	TimeUTC lenientTime `json:"time_utc"`
}

type plainActivityLogEntry ActivityLogEntry

func (w *activityLogWire) model() ActivityLogEntry {
	m := ActivityLogEntry(w.plainActivityLogEntry)
	m.Date = w.Date.t
	switch {
	case !w.TimeUTC.t.IsZero():
		m.Time = w.TimeUTC.t.UTC()
	case !w.Time.t.IsZero():
		m.Time = w.Time.t.UTC()
	default:
		m.Time = w.Date.t.UTC()
	}
	return m
}
