package sdelements

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Activity is one event on the instance: a login, a project change, a task
// status update. Wire fields: id, name, actor, text, date, data, icon,
// log_level.
type Activity struct {
	// ID is the activity's id ("id").
	ID int64 `json:"id"`
	// Name is the event type ("name"), an open set such as
	// "LoggedInActivity"; see the Activity* constants for the documented ones.
	Name string `json:"name"`
	// Actor is the id of the user who performed the activity ("actor"); nil
	// when the server sends null (system events). Under
	// ListActivitiesParams.Expand "actor" the server sends the user object:
	// Actor is then its "id" and Extra["actor"] the object.
	Actor *int64 `json:"actor"`
	// Text is the human-readable sentence ("text"), e.g.
	// "Admin Testerton logged in".
	Text string `json:"text"`
	// Date is when it happened ("date"), with the server's microseconds, in
	// UTC. The server writes either "Z" or "+00:00"; both decode to the same
	// instant. The zero time when the server sends null.
	Date time.Time `json:"date"`
	// Data is the event's "data" object as sent; its keys depend on Name.
	// Common keys have accessors (ApplicationDesc, ProjectDesc, ...), and
	// DecodeData and DataString read any other. nil when absent or null.
	Data json.RawMessage `json:"data"`
	// Icon is the UI icon name ("icon"), e.g. "user", "edit".
	Icon string `json:"icon"`
	// LogLevel is the event's severity for the UI ("log_level"), often empty.
	LogLevel LogLevel `json:"log_level"`
	// Extra holds, as sent, the members a list answer carried beyond the
	// documented ones when the walk asked for Include or Expand, and the
	// object of an expanded "actor"; nil otherwise.
	Extra map[string]json.RawMessage `json:"-"`
}

// activityFields are the documented members of an activity.
var activityFields = map[string]bool{"id": true, "name": true, "actor": true, "text": true, "date": true,
	"data": true, "icon": true, "log_level": true}

// UnmarshalJSON decodes an activity. "actor" is read as a number, null, or
// an expanded user object (its "id"); the object is kept in Extra["actor"].
func (a *Activity) UnmarshalJSON(b []byte) error {
	type plain Activity
	var w struct {
		*plain
		Actor json.RawMessage `json:"actor"`
	}
	w.plain = (*plain)(a)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	a.Actor = nil
	raw := bytes.TrimSpace(w.Actor)
	switch {
	case len(raw) == 0 || string(raw) == "null":
	case raw[0] == '{':
		var obj struct {
			ID *int64 `json:"id"`
		}
		if err := json.Unmarshal(raw, &obj); err != nil {
			return fmt.Errorf("actor: %w", err)
		}
		a.Actor = obj.ID
		a.Extra = map[string]json.RawMessage{"actor": append(json.RawMessage(nil), raw...)}
	default:
		var id int64
		if err := json.Unmarshal(raw, &id); err != nil {
			return fmt.Errorf("actor: not an id: %w", err)
		}
		a.Actor = &id
	}
	return nil
}

// addExtra stores the members of raw that are not documented activity
// fields in a.Extra.
func (a *Activity) addExtra(raw json.RawMessage) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
	}
	for k, v := range m {
		if activityFields[k] {
			continue
		}
		if a.Extra == nil {
			a.Extra = map[string]json.RawMessage{}
		}
		a.Extra[k] = v
	}
	return nil
}

// Activity names shown in the API documentation. Name is an open set: an
// instance sends many more, and new ones appear with new releases.
const (
	ActivityLoggedIn             = "LoggedInActivity"
	ActivityUserCreated          = "UserCreatedActivity"
	ActivityCreatedGroup         = "CreatedGroupActivity"
	ActivityModifiedBusinessUnit = "ModifiedBusinessUnitActivity"
)

// LogLevel is an activity's "log_level", an open set of UI severities.
type LogLevel string

// Log levels shown in the API documentation.
const (
	// LogLevelNone is the empty log level most activities carry.
	LogLevelNone LogLevel = ""
	// LogLevelSuccess marks successful operations such as creations.
	LogLevelSuccess LogLevel = "success"
)

// normalize puts Date in UTC and turns a "null" data into nil. The dates
// decode with encoding/json's time.Time rules (RFC 3339, "Z" or an offset,
// any fraction); a date without a zone fails the decoding.
func (a *Activity) normalize() {
	if !a.Date.IsZero() {
		a.Date = a.Date.UTC()
	}
	if string(a.Data) == "null" {
		a.Data = nil
	}
}

// DecodeData unmarshals Data into v (a struct or map of the keys you need).
// An activity without data leaves v untouched.
func (a Activity) DecodeData(v any) error {
	if len(a.Data) == 0 {
		return nil
	}
	return json.Unmarshal(a.Data, v)
}

// DataString returns the data value under key as text: a JSON string as is, a
// number in its decimal form ("5"), true/false. ok is false when the key is
// absent, null, or an object or array.
func (a Activity) DataString(key string) (value string, ok bool) {
	if len(a.Data) == 0 {
		return "", false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(a.Data, &m) != nil {
		return "", false
	}
	raw, found := m[key]
	if !found {
		return "", false
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	case 't', 'f':
		return string(raw), true
	case 'n', '{', '[':
		return "", false
	}
	var n json.Number
	if json.Unmarshal(raw, &n) != nil {
		return "", false
	}
	return n.String(), true
}

// dataID returns a numeric data value, 0 when absent or not a number.
func (a Activity) dataID(key string) int64 {
	s, ok := a.DataString(key)
	if !ok {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// ApplicationID returns data["application"], the referenced application's
// id, 0 when absent.
func (a Activity) ApplicationID() int64 { return a.dataID("application") }

// ApplicationDesc returns data["application_desc"], the referenced
// application's name ("" when absent). It survives the application's deletion.
func (a Activity) ApplicationDesc() string { s, _ := a.DataString("application_desc"); return s }

// BusinessUnitID returns data["business_unit"], 0 when absent.
func (a Activity) BusinessUnitID() int64 { return a.dataID("business_unit") }

// BusinessUnitDesc returns data["business_unit_desc"], the referenced
// business unit's name ("" when absent).
func (a Activity) BusinessUnitDesc() string { s, _ := a.DataString("business_unit_desc"); return s }

// ProjectID returns data["project"], 0 when absent.
func (a Activity) ProjectID() int64 { return a.dataID("project") }

// ProjectDesc returns data["project_desc"], the referenced project's name
// ("" when absent).
func (a Activity) ProjectDesc() string { s, _ := a.DataString("project_desc"); return s }

// Standard returns data["standard"], the referenced standard (library task)
// id such as "T21" or "CT3" ("" when absent).
func (a Activity) Standard() string { s, _ := a.DataString("standard"); return s }

// StandardDesc returns data["standard_desc"], the standard's full name such
// as "T21: Ensure confidential data is sent over an encrypted channel".
func (a Activity) StandardDesc() string { s, _ := a.DataString("standard_desc"); return s }
