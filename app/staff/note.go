package staff

import (
	"context"
	"errors"

	"github.com/signet-kiosk/signet/client/mews"
)

// Note is a sentence for staff: a translation key with its arguments, or a
// text as Mews wrote it. The screens translate it when they draw it.
type Note struct {
	Key  string
	Args []any
	// Text is shown as it is (a refusal in Mews's own words).
	Text string
}

// IsZero reports whether there is nothing to say.
func (n Note) IsZero() bool { return n.Key == "" && n.Text == "" }

// note is the sentence for key; every key a Session can produce is
// written as a call of note, where the translation test finds it.
func note(key string, args ...any) Note { return Note{Key: key, Args: args} }

// NoteFor is the sentence staff read for err: a Mews refusal (403) as Mews
// wrote it, else a translated sentence.
func NoteFor(err error) Note {
	var api *mews.APIError
	switch {
	case errors.As(err, &api) && api.Status == 403 && api.Message != "":
		return Note{Text: api.Message}
	case errors.As(err, &api) && api.Status == 401:
		return note("staff.error.unauthorized")
	case errors.As(err, &api) && api.Status < 500 && api.Status != 408 && api.Status != 429:
		return note("staff.error.refused", "status", api.Status)
	case errors.Is(err, context.DeadlineExceeded):
		return note("error.timeout")
	case errors.Is(err, mews.ErrInvalidInput):
		return note("staff.error.invalid")
	}
	return note("error.unreachable")
}
