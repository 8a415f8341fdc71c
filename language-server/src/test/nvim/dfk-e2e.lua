-- dfk lsp in a real Neovim (Debian's 0.7.2), driven headless by NeovimEndToEndTest:
--   nvim --headless -u NONE -i NONE -n -c "luafile dfk-e2e.lua"
-- Environment: DFK_LSP_CMD (the server command, a JSON array), DFK_ROOT (the workspace folder),
-- DFK_FILE (the program to open), DFK_OUT (where to write what happened, as JSON).
-- It opens the file, waits for its diagnostics with the analysis's fusion hint, hovers over the
-- first kernel's name, lists the code lenses, and runs the schedule's "Run on emulator" lens the
-- way a user does (vim.lsp.codelens.run on the lens's line), which sends the lens's command to the
-- server with workspace/executeCommand.
local cmd = vim.fn.json_decode(os.getenv('DFK_LSP_CMD'))
local root = os.getenv('DFK_ROOT')
local file = os.getenv('DFK_FILE')
local out_file = os.getenv('DFK_OUT')

local report = { log = {} }
local function say(s) table.insert(report.log, s) end
local function finish(code)
  local f = assert(io.open(out_file, 'w'))
  f:write(vim.fn.json_encode(report))
  f:close()
  vim.cmd(code == 0 and 'qall!' or 'cquit!')
end
local function fail(why)
  report.failure = why
  finish(1)
end

vim.g.do_filetype_lua = 1
vim.cmd('filetype on')
vim.filetype.add({ extension = { dfk = 'dfk' } })

local published = {}
local client_id = vim.lsp.start_client({
  name = 'dfk',
  cmd = cmd,
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = 'examples' } },
  flags = { debounce_text_changes = 0 },
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      if vim.uri_to_fname(result.uri) == file then
        table.insert(published, result)
      end
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
    end,
  },
  on_exit = function(code) say('server exited with ' .. tostring(code)) end,
})
if not client_id then return fail('the server did not start: ' .. table.concat(cmd, ' ')) end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)

-- diagnostics: the build's first, then with the analysis's fusion hint, as Neovim stores them
local function hints()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.severity == vim.diagnostic.severity.INFO and d.message:find('could be one kernel', 1, true) then
      table.insert(found, d)
    end
  end
  return found
end
if not vim.wait(90000, function() return #hints() > 0 end, 50) then
  return fail('no fusion hint among the diagnostics; published: ' .. vim.inspect(published))
end
report.publications = #published
report.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(report.diagnostics, { line = d.lnum + 1, severity = d.severity, message = d.message })
end

-- hover over the first kernel's name
local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
local kernel_line, kernel_col
for i, text in ipairs(lines) do
  local s = text:find('^kernel ')
  if s then kernel_line, kernel_col = i - 1, #'kernel ' + 1; break end
end
local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = kernel_line, character = kernel_col },
}, 30000)
for _, r in pairs(hover or {}) do
  if r.result and r.result.contents then report.hover = r.result.contents.value or r.result.contents end
end

-- code lenses, as Neovim's codelens module fetches and keeps them
vim.lsp.codelens.refresh()
if not vim.wait(60000, function() return #vim.lsp.codelens.get(buf) > 0 end, 50) then
  return fail('no code lenses')
end
report.lenses = {}
local run_lens
for _, lens in ipairs(vim.lsp.codelens.get(buf)) do
  table.insert(report.lenses, { line = lens.range.start.line + 1, title = lens.command.title,
    command = lens.command.command })
  if lens.command.command == 'dfk.run' and #lens.command.arguments == 1 then run_lens = lens end
end
if not run_lens then return fail('no "Run on emulator" lens on the schedule: ' .. vim.inspect(report.lenses)) end

-- run it: cursor on the lens's line, codelens.run, pick the run lens where the line has several
local answer
vim.lsp.handlers['workspace/executeCommand'] = function(err, result) answer = { err = err, result = result } end
vim.ui.select = function(items, _, on_choice)
  for i, item in ipairs(items) do
    if item.lens.command.command == 'dfk.run' then return on_choice(item, i) end
  end
  on_choice(nil, nil)
end
vim.api.nvim_win_set_cursor(0, { run_lens.range.start.line + 1, 0 })
vim.lsp.codelens.run()
if not vim.wait(180000, function() return answer ~= nil end, 100) then return fail('the run never answered') end
if answer.err then return fail('the run failed: ' .. vim.inspect(answer.err)) end
-- the total as text with every digit, so the test compares it exactly with the CLI's
report.run_total_seconds = string.format('%.17g', answer.result.summary.timing.totalSeconds)
report.run_report = answer.result.report
report.numeric_skipped = answer.result.numericSkipped

vim.lsp.stop_client(client_id)
vim.wait(10000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
finish(0)
