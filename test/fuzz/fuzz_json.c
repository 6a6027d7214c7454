/*
 * libFuzzer harness: AWS JSON 1.0 request bodies read into Query parameter
 * names (src/api/awsjson.c, as_json_to_form), on any bytes.  Checks: no
 * out-of-bounds access, no leak, no deep recursion past the bound, and
 * every parameter kept has a bounded name and a NUL-free UTF-8 value.
 */
#include "postgres_fe.h"

#include "awsjson.h"
#include "form.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static AsForm form;
	char		msg[256];

	if (!as_json_to_form((const char *) data, size, &form, msg, sizeof(msg)))
	{
		if (form.n != 0)
			__builtin_trap();
		return 0;
	}
	if (form.n > AS_FORM_MAX_PARAMS)
		__builtin_trap();
	for (int i = 0; i < form.n; i++)
	{
		const char *name = form.params[i].name;
		const char *v = form.params[i].value;
		size_t		len = strlen(v);

		if (name[0] == '\0' || strlen(name) > AS_FORM_MAX_NAME)
			__builtin_trap();
		for (size_t j = 0; j < len;)
		{
			int			l = as_utf8_sequence((const unsigned char *) v + j, len - j);

			if (l == 0)
				__builtin_trap();
			j += l;
		}
		(void) as_form_list_len(&form, name);
	}
	as_form_free(&form);
	return 0;
}
