/*
 * libFuzzer harness: the Query protocol's form decoding (src/api/form.c)
 * and the typed reading of its values, on any bytes.  Checks: decoding
 * never reads or writes out of bounds (ASan), stays within the bound on
 * parameters, and every value it keeps is NUL-free UTF-8.
 */
#include "postgres_fe.h"

#include "form.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static AsForm form;
	char		msg[256];

	if (!as_form_decode((const char *) data, size, &form, msg, sizeof(msg)))
	{
		if (form.n != 0)
			__builtin_trap();
		return 0;
	}
	if (form.n > AS_FORM_MAX_PARAMS)
		__builtin_trap();
	for (int i = 0; i < form.n; i++)
	{
		const char *v = form.params[i].value;
		size_t		len = strlen(v);
		double		d;
		int64		n;
		bool		b;

		for (size_t j = 0; j < len;)
		{
			int			l = as_utf8_sequence((const unsigned char *) v + j, len - j);

			if (l == 0)
				__builtin_trap();
			j += l;
		}
		(void) as_parse_double(v, &d);
		(void) as_parse_int64(v, &n);
		(void) as_parse_bool(v, &b);
		(void) as_form_list_len(&form, form.params[i].name);
		if (as_form_get(&form, form.params[i].name) == NULL)
			__builtin_trap();
	}
	(void) as_form_unused(&form);
	as_form_free(&form);
	return 0;
}
