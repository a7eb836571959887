using QuantuneV2.Data.Spec;

namespace QuantuneV2.Data.Sources;

/// <summary>
/// The sample files of an <c>images</c> or <c>tensors</c> spec, one sample per file: either every file of
/// a folder (<c>path</c>, optionally filtered by <c>pattern</c>), one level of class subfolders below it, or
/// an explicit <c>files</c> list. Folder contents are sorted by ordinal name so the order, and with it every
/// subset, is the same on every machine.
/// </summary>
internal sealed class FileList
{
    private FileList(string[] paths, string[] names, int[]? folderLabels, string[] folders)
    {
        Paths = paths;
        Names = names;
        FolderLabels = folderLabels;
        Folders = folders;
    }

    /// <summary>The folders whose listing chose the files (adding or removing a file changes the samples).</summary>
    public IReadOnlyList<string> Folders { get; }

    public IReadOnlyList<string> Paths { get; }

    /// <summary>Each file relative to the folder (or, for a <c>files</c> list, to the spec's folder), with '/' separators. Label files key on these.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>With class subfolders: each file's class, the index of its subfolder in ordinal name order.</summary>
    public int[]? FolderLabels { get; }

    public int Count => Paths.Count;

    /// <summary>Reads the file-selection fields; the returned function checks that one was given and lists the files (after the whole spec is checked).</summary>
    public static Func<FileList> Parse(SpecObject spec, IReadOnlyCollection<string> extensions, bool classFolders)
    {
        var folder = spec.PathField("path");
        var list = spec.PathList("files");
        var pattern = spec.String("pattern");
        if (folder is not null && list is not null) throw spec.Context.Error("give either 'path' (a folder) or 'files' (a list of files), not both");
        if (list is not null)
        {
            if (pattern is not null) throw spec.Error("pattern", "applies to a folder ('path'), not to a 'files' list");
            if (classFolders) throw spec.Error("files", "labels.format 'folder' needs 'path': a folder with one subfolder per class");
            if (list.Length == 0) throw spec.Error("files", "is empty");
            var specFolder = spec.Context.Folder;
            return () => FromList(list, specFolder);
        }
        return () => FromFolder(folder ?? throw spec.Missing("path", "a folder of samples, or 'files': a list of sample files"), pattern, extensions, classFolders);
    }

    private static FileList FromList(string[] paths, string specFolder)
    {
        foreach (var p in paths)
            if (!File.Exists(p)) throw DatasetErrors.Data(p, $"file not found ({p})");
        return new FileList(paths, [.. paths.Select(p => Name(specFolder, p))], null, []);
    }

    private static FileList FromFolder(string folder, string? pattern, IReadOnlyCollection<string> extensions, bool classFolders)
    {
        if (!Directory.Exists(folder)) throw DatasetErrors.Data(folder, $"folder not found ({folder})");
        var what = pattern is null ? $"with extension {string.Join(", ", extensions)}" : $"matching '{pattern}'";
        List<string> paths = [];
        List<int>? labels = classFolders ? [] : null;
        string[] folders = [folder];
        if (classFolders)
        {
            var classes = Directory.GetDirectories(folder).Order(StringComparer.Ordinal).ToArray();
            folders = [folder, .. classes];
            if (classes.Length == 0) throw DatasetErrors.Data(folder, "has no class subfolders (labels.format 'folder' expects one subfolder per class)");
            for (int k = 0; k < classes.Length; k++)
            {
                var files = Matching(classes[k], pattern, extensions);
                paths.AddRange(files);
                labels!.AddRange(Enumerable.Repeat(k, files.Length));
            }
        }
        else
        {
            paths.AddRange(Matching(folder, pattern, extensions));
        }
        if (paths.Count == 0) throw DatasetErrors.Data(folder, $"has no files {what}");
        return new FileList([.. paths], [.. paths.Select(p => Name(folder, p))], labels?.ToArray(), folders);
    }

    private static string[] Matching(string folder, string? pattern, IReadOnlyCollection<string> extensions)
    {
        var options = new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive };
        var files = Directory.EnumerateFiles(folder, pattern ?? "*", options);
        if (pattern is null) files = files.Where(f => extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase));
        return [.. files.Order(StringComparer.Ordinal)];
    }

    private static string Name(string baseFolder, string path) => Path.GetRelativePath(baseFolder, path).Replace('\\', '/');
}
