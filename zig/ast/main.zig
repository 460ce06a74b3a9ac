//! zigimport's reader of Zig sources for TypeScript declarations: parses one file with Zig's own
//! parser (`std.zig.Ast`) and prints, as JSON on stdout, the module's `//!` doc comment and, per
//! `pub` declaration (recursing into container declarations), its `///` doc comment, its kind and,
//! for functions, its parameter names. Usage: `zigimport-ast <file.zig>`.
//!
//! Builds with Zig 0.15, 0.16 and 0.17: the parser API is the same in all three (apart from
//! `parse`'s last argument); files, arguments and stdout go through `std.fs` on 0.15 and through
//! `std.Io` (with `main(std.process.Init)`) on 0.16+. Every version switch is in this file.

const std = @import("std");
const builtin = @import("builtin");
const Ast = std.zig.Ast;

const new_io = builtin.zig_version.order(.{ .major = 0, .minor = 16, .patch = 0 }) != .lt;

const max_source = 64 * 1024 * 1024;

pub const main = if (new_io) mainIo else mainFs;

fn mainFs() !void {
    var arena_state = std.heap.ArenaAllocator.init(std.heap.page_allocator);
    const arena = arena_state.allocator();
    const args = try std.process.argsAlloc(arena);
    if (args.len != 2) return usage();
    const source = try std.fs.cwd().readFileAllocOptions(arena, args[1], max_source, null, .of(u8), 0);
    const json = try describe(arena, source);
    try std.fs.File.stdout().writeAll(json);
}

fn mainIo(init: std.process.Init) !void {
    const arena = init.arena.allocator();
    const args = try init.minimal.args.toSlice(arena);
    if (args.len != 2) return usage();
    const source = try std.Io.Dir.cwd().readFileAllocOptions(init.io, args[1], arena, .limited(max_source), .of(u8), 0);
    const json = try describe(arena, source);
    try std.Io.File.stdout().writeStreamingAll(init.io, json);
}

fn usage() error{Usage} {
    return error.Usage;
}

fn parse(gpa: std.mem.Allocator, source: [:0]const u8) !Ast {
    // 0.17 takes `ParseOptions`, earlier releases a `Mode`.
    return if (comptime @hasDecl(Ast, "ParseOptions")) Ast.parse(gpa, source, .{}) else Ast.parse(gpa, source, .zig);
}

const Out = struct {
    gpa: std.mem.Allocator,
    buf: std.ArrayList(u8) = .empty,

    fn raw(o: *Out, s: []const u8) !void {
        try o.buf.appendSlice(o.gpa, s);
    }

    fn string(o: *Out, s: []const u8) !void {
        try o.raw("\"");
        for (s) |c| switch (c) {
            '"' => try o.raw("\\\""),
            '\\' => try o.raw("\\\\"),
            '\n' => try o.raw("\\n"),
            '\r' => try o.raw("\\r"),
            '\t' => try o.raw("\\t"),
            0...8, 11, 12, 14...0x1f, 0x7f => {
                const hex = "0123456789abcdef";
                try o.raw(&.{ '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] });
            },
            else => try o.buf.append(o.gpa, c),
        };
        try o.raw("\"");
    }
};

/// The text of the doc comment made of the tokens of `tag` ending right before `end`
/// (walking backwards), with the comment markers and one following space removed.
fn docBefore(o: *Out, tree: *const Ast, end: Ast.TokenIndex) !?[]const u8 {
    var first = end;
    while (first > 0 and tree.tokenTag(first - 1) == .doc_comment) first -= 1;
    return docRange(o, tree, first, end);
}

fn docRange(o: *Out, tree: *const Ast, first: Ast.TokenIndex, end: Ast.TokenIndex) !?[]const u8 {
    if (first == end) return null;
    var text: std.ArrayList(u8) = .empty;
    var t = first;
    while (t < end) : (t += 1) {
        var line = tree.tokenSlice(t)[3..];
        if (line.len > 0 and line[0] == ' ') line = line[1..];
        line = std.mem.trimEnd(u8, line, " \t\r");
        if (t != first) try text.append(o.gpa, '\n');
        try text.appendSlice(o.gpa, line);
    }
    return text.items;
}

fn field(o: *Out, comma: *bool, name: []const u8) !void {
    if (comma.*) try o.raw(",");
    comma.* = true;
    try o.string(name);
    try o.raw(":");
}

/// `"name":{...}` entries for the `pub` declarations among `members`, and, in `"fields"`, the
/// doc comments of container fields.
fn container(o: *Out, tree: *const Ast, members: []const Ast.Node.Index) anyerror!void {
    try o.raw("{\"decls\":{");
    var comma = false;
    for (members) |member| try decl(o, tree, member, &comma);
    try o.raw("},\"fields\":{");
    comma = false;
    for (members) |member| {
        const f = tree.fullContainerField(member) orelse continue;
        if (tree.tokenTag(f.ast.main_token) != .identifier) continue;
        try field(o, &comma, identifierName(tree, f.ast.main_token));
        try o.raw("{\"doc\":");
        try optionalString(o, try docBefore(o, tree, tree.firstToken(member)));
        try o.raw("}");
    }
    try o.raw("}}");
}

fn optionalString(o: *Out, s: ?[]const u8) !void {
    if (s) |text| try o.string(text) else try o.raw("null");
}

/// An identifier's name, with `@"..."` quoting removed (escapes inside are kept as written).
fn identifierName(tree: *const Ast, token: Ast.TokenIndex) []const u8 {
    const s = tree.tokenSlice(token);
    if (s.len >= 3 and s[0] == '@' and s[1] == '"') return s[2 .. s.len - 1];
    return s;
}

fn decl(o: *Out, tree: *const Ast, node: Ast.Node.Index, comma: *bool) !void {
    var buf: [1]Ast.Node.Index = undefined;
    if (tree.fullFnProto(&buf, node)) |proto| {
        const visib = proto.visib_token orelse return;
        _ = visib;
        const name_token = proto.name_token orelse return;
        try field(o, comma, identifierName(tree, name_token));
        try o.raw("{\"kind\":\"fn\",\"doc\":");
        try optionalString(o, try docBefore(o, tree, tree.firstToken(node)));
        try o.raw(",\"params\":[");
        var it = proto.iterate(tree);
        var first = true;
        while (it.next()) |param| {
            if (!first) try o.raw(",");
            first = false;
            try o.raw("{\"name\":");
            if (param.name_token) |t| try o.string(identifierName(tree, t)) else try o.raw("null");
            const is_comptime = if (param.comptime_noalias) |t| tree.tokenTag(t) == .keyword_comptime else false;
            try o.raw(if (is_comptime) ",\"comptime\":true" else ",\"comptime\":false");
            // An injected allocator: a type expression whose last token is `Allocator`
            // (`std.mem.Allocator`, `mem.Allocator`, `Allocator`).
            const allocator = if (param.type_expr) |te|
                std.mem.eql(u8, tree.tokenSlice(tree.lastToken(te)), "Allocator")
            else
                false;
            try o.raw(if (allocator) ",\"allocator\":true" else ",\"allocator\":false");
            try o.raw(",\"doc\":");
            try optionalString(o, if (param.first_doc_comment) |t| try docRange(o, tree, t, docEnd(tree, t)) else null);
            try o.raw("}");
        }
        try o.raw("]}");
        return;
    }
    const var_decl = tree.fullVarDecl(node) orelse return;
    if (var_decl.visib_token == null) return;
    const name_token = var_decl.ast.mut_token + 1;
    try field(o, comma, identifierName(tree, name_token));
    const is_var = tree.tokenTag(var_decl.ast.mut_token) == .keyword_var;
    try o.raw(if (is_var) "{\"kind\":\"var\",\"doc\":" else "{\"kind\":\"const\",\"doc\":");
    try optionalString(o, try docBefore(o, tree, tree.firstToken(node)));
    if (var_decl.ast.init_node.unwrap()) |init_node| {
        var cbuf: [2]Ast.Node.Index = undefined;
        if (tree.fullContainerDecl(&cbuf, init_node)) |c| {
            try o.raw(",\"container\":");
            try container(o, tree, c.ast.members);
        }
    }
    try o.raw("}");
}

fn docEnd(tree: *const Ast, first: Ast.TokenIndex) Ast.TokenIndex {
    var t = first;
    while (tree.tokenTag(t) == .doc_comment) t += 1;
    return t;
}

/// The JSON description of one source file.
pub fn describe(gpa: std.mem.Allocator, source: [:0]const u8) ![]const u8 {
    var tree = try parse(gpa, source);
    var o: Out = .{ .gpa = gpa };
    try o.raw("{\"format\":1,\"errors\":");
    try o.raw(if (tree.errors.len > 0) "true" else "false");
    try o.raw(",\"doc\":");
    var end: Ast.TokenIndex = 0;
    while (tree.tokenTag(end) == .container_doc_comment) end += 1;
    try optionalString(&o, try docRange(&o, &tree, 0, end));
    try o.raw(",\"module\":");
    try container(&o, &tree, tree.rootDecls());
    try o.raw("}\n");
    return o.buf.items;
}
