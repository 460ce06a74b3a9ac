/* The call-overhead benchmark's floor: the same functions as bench/fixtures/calls.zig, written
 * by hand against Node-API with the least work per call (no argument-type checks beyond what
 * Node-API does itself). Built by bench/lib/native.mjs with headers from node-api-headers. */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>

static napi_value add_f64(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], out;
  double a, b;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_get_value_double(env, argv[0], &a);
  napi_get_value_double(env, argv[1], &b);
  napi_create_double(env, a + b, &out);
  return out;
}

static napi_value add_i32(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], out;
  int32_t a, b;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_get_value_int32(env, argv[0], &a);
  napi_get_value_int32(env, argv[1], &b);
  napi_create_int32(env, (int32_t)((uint32_t)a + (uint32_t)b), &out);
  return out;
}

static napi_value add_i64(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], out;
  int64_t a, b;
  bool lossless;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_get_value_bigint_int64(env, argv[0], &a, &lossless);
  napi_get_value_bigint_int64(env, argv[1], &b, &lossless);
  napi_create_bigint_int64(env, (int64_t)((uint64_t)a + (uint64_t)b), &out);
  return out;
}

static napi_value byte_sum(napi_env env, napi_callback_info info) {
  size_t argc = 1, len = 0;
  napi_value argv[1], out;
  char stack[256];
  char *buf = stack;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (napi_get_value_string_utf8(env, argv[0], stack, sizeof stack, &len) != napi_ok) return NULL;
  if (len + 1 >= sizeof stack) { /* may be truncated: ask for the length, then copy */
    napi_get_value_string_utf8(env, argv[0], NULL, 0, &len);
    buf = malloc(len + 1);
    napi_get_value_string_utf8(env, argv[0], buf, len + 1, &len);
  }
  uint32_t total = 0;
  for (size_t i = 0; i < len; i++) total += (unsigned char)buf[i];
  if (buf != stack) free(buf);
  napi_create_uint32(env, total, &out);
  return out;
}

static double field(napi_env env, napi_value obj, const char *name) {
  napi_value v;
  double d = 0;
  napi_get_named_property(env, obj, name, &v);
  napi_get_value_double(env, v, &d);
  return d;
}

static napi_value weigh(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], out;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  double r = field(env, argv[0], "x") + 2 * field(env, argv[0], "y") + 3 * field(env, argv[0], "z");
  napi_create_double(env, r, &out);
  return out;
}

static napi_value greeting(napi_env env, napi_callback_info info) {
  static const char text[] = "Hello, World!";
  napi_value out;
  napi_create_string_utf8(env, text, sizeof text - 1, &out);
  return out;
}

static napi_value sum(napi_env env, napi_callback_info info) {
  size_t argc = 1, len = 0, offset;
  napi_value argv[1], ab, out;
  napi_typedarray_type type;
  void *data;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_get_typedarray_info(env, argv[0], &type, &len, &data, &ab, &offset);
  const double *v = data;
  double total = 0;
  for (size_t i = 0; i < len; i++) total += v[i];
  napi_create_double(env, total, &out);
  return out;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
    { "addF64", NULL, add_f64, NULL, NULL, NULL, napi_enumerable, NULL },
    { "addI32", NULL, add_i32, NULL, NULL, NULL, napi_enumerable, NULL },
    { "addI64", NULL, add_i64, NULL, NULL, NULL, napi_enumerable, NULL },
    { "byteSum", NULL, byte_sum, NULL, NULL, NULL, napi_enumerable, NULL },
    { "weigh", NULL, weigh, NULL, NULL, NULL, napi_enumerable, NULL },
    { "greeting", NULL, greeting, NULL, NULL, NULL, napi_enumerable, NULL },
    { "sum", NULL, sum, NULL, NULL, NULL, napi_enumerable, NULL },
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
