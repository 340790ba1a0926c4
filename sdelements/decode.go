package sdelements

import (
	"github.com/activitysdk/activity-go/internal/jsondec"
)

// The wire names the decoders read, strings first (a test checks
// activityNames against Activity's json tags). The cases of each decoder's
// switch are numbered after the other names' order.
var (
	pageNames     = jsondec.NewNames(nil, "count", "next", "results")
	activityNames = jsondec.NewNames([]string{"name", "text", "icon", "log_level"}, "id", "actor", "date", "data")
)

// decodePageFast reads a list answer in one pass straight into the models,
// without reflection. ok is false when the answer is not in the common
// shape (see jsondec): decodePage then decodes it with encoding/json.
func decodePageFast(body []byte) (page listPage, ok bool) {
	d := new(jsondec.Decoder)
	d.Reset(body)
	switch d.Peek() {
	case '[': // a bare list
		page.Results = decodeActivities(d)
	case '{':
		m := d.Members(pageNames)
		for d.Next(&m) {
			switch m.Index() {
			case 0: // count
				if !d.Null() {
					n := d.Int()
					page.Count = &n
				}
			case 1: // next
				if s, ok := d.OwnStringOrNull(); ok {
					page.Next = &s // kept as the page token
				}
			case 2: // results
				page.Results = decodeActivities(d)
			}
		}
	default:
		d.Fail() // null or another value: the error is encoding/json's
	}
	if d.Finish() != nil || page.Results == nil {
		return listPage{}, false
	}
	return page, true
}

// decodeActivities reads a list of activities, nil for null.
func decodeActivities(d *jsondec.Decoder) []Activity {
	out := jsondec.Items(d, make([]Activity, 0, 100), func(a *Activity) { decodeActivity(d, a) })
	if d.Failed() {
		return nil
	}
	return out
}

// decodeActivity reads one activity into a (a zero Activity) and
// normalizes it, as encoding/json and normalize would.
func decodeActivity(d *jsondec.Decoder, a *Activity) {
	m := d.Members(activityNames, &a.Name, &a.Text, &a.Icon, (*string)(&a.LogLevel))
	for d.Next(&m) {
		switch m.Index() {
		case 0: // id
			d.Int64OrNull(&a.ID)
		case 1: // actor
			if !d.Null() {
				p := d.Int64()
				a.Actor = &p
			}
		case 2: // date
			d.Time(&a.Date)
		case 3: // data: null is "null", which normalize turns into nil
			if !d.Null() {
				a.Data = d.Raw()
			}
		}
	}
	a.normalize()
}
