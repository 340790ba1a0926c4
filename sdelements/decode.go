package sdelements

import (
	"github.com/activitysdk/activity-go/internal/jsondec"
)

// decodePageFast reads a list answer in one pass straight into the models,
// without reflection. ok is false when the answer is not in the common
// shape (see jsondec): decodePage then decodes it with encoding/json.
func decodePageFast(body []byte) (page listPage, ok bool) {
	d := new(jsondec.Decoder)
	d.Reset(body)
	if d.Null() {
		d.Fail() // no results: the error is encoding/json's
	} else if d.Object() {
		var seen uint64
		for d.More() {
			switch k := d.Key(); string(k) {
			case "count":
				d.Seen(&seen, 0)
				if !d.Null() {
					n := d.Int()
					page.Count = &n
				}
			case "next":
				d.Seen(&seen, 1)
				if !d.Null() {
					s := d.OwnString() // kept as the page token
					page.Next = &s
				}
			case "results":
				d.Seen(&seen, 2)
				page.Results = decodeActivities(d)
			default:
				d.Unknown(k, "count", "next", "results")
			}
		}
	} else { // a bare list
		d.Reset(body)
		page.Results = decodeActivities(d)
	}
	if d.Finish() != nil || page.Results == nil {
		return listPage{}, false
	}
	return page, true
}

// decodeActivities reads a list of activities, nil for null.
func decodeActivities(d *jsondec.Decoder) []Activity {
	if d.Null() {
		return nil
	}
	if !d.Array() {
		return nil
	}
	out := make([]Activity, 0, 100)
	for d.More() {
		out = append(out, Activity{})
		d.Item()
		decodeActivity(d, &out[len(out)-1])
	}
	if d.Failed() {
		return nil
	}
	return out
}

// activityNames are the wire names decodeActivity reads (a test checks them
// against Activity's json tags).
var activityNames = []string{"id", "name", "actor", "text", "date", "data", "icon", "log_level"}

// decodeActivity reads one activity into a (a zero Activity) and
// normalizes it, as encoding/json and normalize would.
func decodeActivity(d *jsondec.Decoder, a *Activity) {
	if d.Null() {
		return
	}
	if !d.Object() {
		return
	}
	var seen uint64
	for d.More() {
		switch k := d.Key(); string(k) {
		case "id":
			d.Seen(&seen, 0)
			d.Int64OrNull(&a.ID)
		case "name":
			d.Seen(&seen, 1)
			d.StringOrNull(&a.Name)
		case "actor":
			d.Seen(&seen, 2)
			if d.Null() {
				a.Actor = nil
			} else {
				p := d.Int64()
				a.Actor = &p
			}
		case "text":
			d.Seen(&seen, 3)
			d.StringOrNull(&a.Text)
		case "date":
			d.Seen(&seen, 4)
			d.Time(&a.Date)
		case "data":
			d.Seen(&seen, 5)
			if d.Null() {
				a.Data = nil // "null", which normalize turns into nil
			} else {
				a.Data = d.Raw()
			}
		case "icon":
			d.Seen(&seen, 6)
			d.StringOrNull(&a.Icon)
		case "log_level":
			d.Seen(&seen, 7)
			var s string
			d.StringOrNull(&s)
			a.LogLevel = LogLevel(s)
		default:
			d.Unknown(k, activityNames...)
		}
	}
	a.normalize()
}
