package activtrak

import (
	"encoding/json"
	"time"

	"github.com/activitysdk/activity-go/internal/jsondec"
)

// logPage decodes one activity-log answer for DoJSON (core.BodyDecoder).
type logPage struct {
	size   int // the page size asked for: room made up front
	items  []ActivityLogEntry
	cursor string
}

// DecodeBody reads the records in one reflection-free pass straight into
// the models when the answer has the common shape, else with encoding/json
// as before (decodeLogPageStd); the result is the same on every input.
func (p *logPage) DecodeBody(body []byte) error {
	if p.decodeFast(body) {
		return nil
	}
	var err error
	p.items, p.cursor, err = decodeLogPageStd(body, p.size)
	return err
}

// decodeLogPageStd is the encoding/json decoding of an answer.
func decodeLogPageStd(body []byte, size int) ([]ActivityLogEntry, string, error) {
	var out struct {
		Activity []activityLogWire `json:"activity"`
		Cursor   string            `json:"cursor"`
	}
	// Room for a full page up front: decoding then never grows the slice.
	out.Activity = make([]activityLogWire, 0, size)
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, "", err
	}
	items := make([]ActivityLogEntry, len(out.Activity))
	for i := range out.Activity {
		items[i] = out.Activity[i].model()
	}
	return items, out.Cursor, nil
}

// logFlags holds the optional values of one record: one allocation for its
// four alarm flags and its website id.
type logFlags struct {
	alarms  [4]bool
	website int64
}

func (p *logPage) decodeFast(body []byte) bool {
	var d jsondec.Decoder
	d.Reset(body)
	items, cursor, _ := jsondec.Page(&d, logPageNames, make([]ActivityLogEntry, 0, max(p.size, 0)),
		func(e *ActivityLogEntry) { decodeLogEntry(&d, e) })
	if d.Finish() != nil {
		return false
	}
	p.items, p.cursor = items, cursor // cursor: "" for null, as encoding/json leaves it
	return true
}

// The wire names the decoders read, strings first (a test checks logNames
// against activityLogWire's json tags). The cases of decodeLogEntry's
// switch are numbered after the other names' order.
var (
	logPageNames = jsondec.NewNames(nil, "activity", "cursor")
	logNames     = jsondec.NewNames([]string{"time_zone", "screenshotUrl", "titleBar", "website", "subpage",
		"location", "computer", "primaryDomain", "privateIp", "publicIp", "loginDomain", "user", "executable",
		"description", "url"},
		"popupAlarm", "emailAlarm", "externalNotificationAlarm", "terminate", // the alarm flags, 0 to 3
		"logId", "computerId", "session", "applicationId", // the ids, 4 to 7
		"productivity", "duration", "date", "time", "time_utc", "websiteId")
)

// decodeLogEntry reads one record into e, a zero entry.
func decodeLogEntry(d *jsondec.Decoder, e *ActivityLogEntry) {
	var f *logFlags
	var utc time.Time
	var local []byte // the "time" value as sent
	alarms := [...]**bool{&e.PopupAlarm, &e.EmailAlarm, &e.ExternalNotificationAlarm, &e.Terminate}
	ids := [...]*int64{&e.LogID, &e.ComputerID, &e.Session, &e.ApplicationID}
	m := d.Members(logNames, &e.TimeZone, &e.ScreenshotURL, &e.TitleBar, &e.Website, &e.Subpage,
		&e.Location, &e.Computer, &e.PrimaryDomain, &e.PrivateIP, &e.PublicIP, &e.LoginDomain, &e.User,
		&e.Executable, &e.Description, &e.URL)
	for d.Next(&m) {
		switch i := m.Index(); i {
		case 0, 1, 2, 3: // an alarm flag
			if !d.Null() {
				if f == nil {
					f = new(logFlags)
				}
				f.alarms[i] = d.Bool()
				*alarms[i] = &f.alarms[i]
			}
		case 4, 5, 6, 7: // an id
			d.Int64OrNull(ids[i-4])
		case 8: // productivity
			d.IntOrNull(&e.Productivity)
		case 9: // duration
			d.Float64OrNull(&e.Duration)
		case 10: // date
			e.Date = lenientTimeOf(d.SkipRaw())
		case 11: // time: read only when time_utc is missing
			local = d.SkipRaw()
		case 12: // time_utc
			utc = lenientTimeOf(d.SkipRaw())
		case 13: // websiteId
			if !d.Null() {
				if f == nil {
					f = new(logFlags)
				}
				f.website = d.Int64()
				e.WebsiteID = &f.website
			}
		}
	}
	// Time as activityLogWire.model sets it: time_utc, else time, else date.
	switch {
	case !utc.IsZero():
		e.Time = utc.UTC()
	case local != nil && !d.Failed():
		if t := lenientTimeOf(local); !t.IsZero() {
			e.Time = t.UTC()
			break
		}
		e.Time = e.Date.UTC()
	default:
		e.Time = e.Date.UTC()
	}
}

// lenientTimeOf reads a timestamp value (its JSON bytes, nil when it could
// not be read) as lenientTime does: the zero time unless it is a readable
// timestamp string.
func lenientTimeOf(raw []byte) time.Time {
	if raw == nil {
		return time.Time{}
	}
	if len(raw) >= 2 && raw[0] == '"' {
		if t, ok := parseCanonical(raw[1 : len(raw)-1]); ok {
			return t
		}
	}
	var l lenientTime
	_ = l.UnmarshalJSON(raw)
	return l.t
}

// parseCanonical reads the shapes the API sends, "2024-06-03T08:44:51" with
// an optional fraction of up to nine digits and no offset or "Z", as
// parseTimestamp would (in UTC), without its layout attempts (a failed one
// allocates an error). ok is false for any other text, which parseTimestamp
// then reads.
func parseCanonical(b []byte) (time.Time, bool) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range b[i : i+n] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, sec := num(11, 2), num(14, 2), num(17, 2)
	if year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 {
		return time.Time{}, false
	}
	if day > daysIn(time.Month(month), year) {
		return time.Time{}, false
	}
	nsec := 0
	rest := b[19:]
	if n := len(rest); n > 0 && rest[n-1] == 'Z' {
		rest = rest[:n-1]
	}
	if len(rest) > 0 {
		if rest[0] != '.' || len(rest) < 2 || len(rest) > 10 {
			return time.Time{}, false
		}
		digits := rest[1:]
		for _, c := range digits {
			if c < '0' || c > '9' {
				return time.Time{}, false
			}
			nsec = nsec*10 + int(c-'0')
		}
		for range 9 - len(digits) {
			nsec *= 10
		}
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC), true
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
